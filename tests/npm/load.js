// Load every table of a data package with the npm `datapackage` library; print rows per table as JSON.
const { Package } = require('datapackage')
async function main () {
  const pkg = await Package.load(process.argv[2])
  if (!pkg.valid) { console.error(JSON.stringify(pkg.errors.map(String))); process.exit(2) }
  const out = {}
  for (const resource of pkg.resources) {
    if (!resource.tabular) continue
    const rows = await resource.read({ keyed: true, cast: true })
    out[resource.name] = { rows: rows.length, fields: resource.schema.fieldNames, first: rows[0] }
  }
  console.log(JSON.stringify(out))
}
main().catch(e => { console.error(String(e && e.stack || e)); if (e.errors) console.error(e.errors.map(String)); process.exit(1) })
