"""The scorer: perfect predictions score 1.0, hand-computed cases give the hand-computed numbers, bad input is named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import article_data as ad
from article_data._annotations import mention_entity_type
from article_data._score import PredictionError, predictions_schema_path
from helpers import BIN, run

TEXT = ad.article_text()
QUOTES = ad.quotes_with_speakers()
MENTIONS = ad.load("mentions").to_dict("records")
FIGURES = ad.load("figures").to_dict("records")


def span(row: dict[str, Any]) -> dict[str, Any]:
    return {"char_start": int(row["char_start"]), "char_end": int(row["char_end"])}


def perfect(task: str) -> list[dict[str, Any]]:
    if task == "mentions":
        return [
            {
                **span(r),
                "type": mention_entity_type(r),
                "entity": next(r[c] for c in ("person_id", "organization_id", "place_id") if isinstance(r[c], str)),
            }
            for r in MENTIONS
        ]
    if task == "quotes":
        return [{**span(r), "speaker": r["speaker"]} for r in QUOTES.to_dict("records")]
    return [
        {**span(r), **{k: (None if r[k] is None or r[k] != r[k] else r[k]) for k in ("value", "unit", "date")}}
        for r in FIGURES
    ]


def numbers(result: Any) -> list[float]:
    """Every precision, recall, f1 and accuracy in a result (nested), None left out."""
    if isinstance(result, dict):
        return [
            v
            for k, x in result.items()
            for v in (
                numbers(x)
                if isinstance(x, dict)
                else [x]
                if k in ("precision", "recall", "f1", "accuracy") and x is not None
                else []
            )
        ]
    return []


@pytest.mark.parametrize("task", ["mentions", "quotes", "figures"])
def test_perfect_predictions_score_one_everywhere(task: str) -> None:
    """The gold spans, with the gold fields, score 1.0 in every measure."""
    found = numbers(ad.score(task, perfect(task)))
    assert found and all(v == 1.0 for v in found)


def test_mentions_hand_computed_cases() -> None:
    """A missed span, a shifted boundary, a wrong type and a spurious span, each alone."""
    n = len(MENTIONS)
    gold = perfect("mentions")
    missed = ad.score("mentions", gold[1:])
    assert missed["strict"]["precision"] == 1.0 and missed["strict"]["recall"] == pytest.approx((n - 1) / n)
    shifted = [dict(p) for p in gold]
    shifted[0]["char_start"] += 1  # "Putin" -> "utin"
    result = ad.score("mentions", shifted)
    assert result["strict"]["precision"] == result["strict"]["recall"] == pytest.approx((n - 1) / n)
    assert result["partial"]["precision"] == pytest.approx((n - 1 + 0.5) / n)
    assert result["type"]["f1"] == 1.0  # overlap with the right type
    wrong = [dict(p) for p in gold]
    wrong[0]["type"] = "place"
    result = ad.score("mentions", wrong)
    assert result["strict"]["f1"] == pytest.approx((n - 1) / n) and result["exact"]["f1"] == 1.0
    assert result["type"]["f1"] == pytest.approx((n - 1) / n) and result["partial"]["f1"] == 1.0
    result = ad.score("mentions", [*gold, {"char_start": 0, "char_end": 3, "type": "person"}])  # "The"
    assert result["strict"]["precision"] == pytest.approx(n / (n + 1)) and result["strict"]["recall"] == 1.0


def test_mentions_equal_what_nervaluate_computes_and_linking_counts_named_entities() -> None:
    """The strict scheme is nervaluate's on the same spans; linking is over exact spans that name an entity."""
    from nervaluate import Evaluator

    gold = perfect("mentions")
    predicted = [dict(p) for p in gold[:10]]
    predicted[3]["type"] = "organization" if predicted[3]["type"] != "organization" else "person"
    predicted[5]["entity"] = "Q159"  # Russia, wrong for every mention but Russia's
    predicted[7]["entity"] = None
    result = ad.score("mentions", predicted)
    to_spans = [
        [{"label": p["type"], "start": p["char_start"], "end": p["char_end"] - 1} for p in rows]
        for rows in (gold, predicted)
    ]
    theirs = Evaluator(
        [to_spans[0]], [to_spans[1]], tags=["person", "organization", "place"], loader="dict"
    ).evaluate()["overall"]["strict"]
    assert (result["strict"]["precision"], result["strict"]["recall"]) == (theirs.precision, theirs.recall)
    right = 8 if MENTIONS[5]["place_id"] != "russia" else 9
    assert result["linking"] == {"accuracy": right / 9, "right": right, "evaluated": 9}


def test_quotes_hand_computed_cases() -> None:
    """A wrong speaker, a shifted boundary, a spurious span and a missed quotation."""
    gold = perfect("quotes")
    n = len(gold)
    wrong = [dict(p) for p in gold]
    wrong[0]["speaker"] = "Vladimir Putin"
    result = ad.score("quotes", wrong)
    assert result["span"]["strict"]["f1"] == 1.0
    assert result["attribution"] == {"accuracy": (n - 1) / n, "right": n - 1, "evaluated": n}
    assert result["end_to_end"]["precision"] == result["end_to_end"]["recall"] == pytest.approx((n - 1) / n)
    first_type = str(QUOTES.quote_type[0])
    assert (
        result["by_quote_type"][first_type]["attribution"]["right"]
        == result["by_quote_type"][first_type]["attribution"]["evaluated"] - 1
    )
    shifted = [dict(p) for p in gold]
    shifted[0]["char_end"] -= 1
    result = ad.score("quotes", shifted)
    assert result["span"]["strict"]["recall"] == pytest.approx((n - 1) / n) and result["span"]["partial"]["f1"] == 1.0
    assert result["end_to_end"]["f1"] == 1.0  # end to end matches spans by overlap
    name_quote = ad.load("quotes").query("quote_type == 'name'").iloc[0]
    result = ad.score("quotes", [*gold, span(name_quote.to_dict())])
    assert result["span"]["strict"]["precision"] == pytest.approx(n / (n + 1))
    assert result["end_to_end"]["precision"] == pytest.approx(n / (n + 1))
    result = ad.score("quotes", gold[1:])
    assert result["span"]["strict"]["recall"] == pytest.approx((n - 1) / n) and result["attribution"]["accuracy"] == 1.0


def test_a_speaker_is_matched_by_id_key_qid_or_name_without_case() -> None:
    """yan, person:yan, YAN all name Yan; a QID names its entity; a name of someone else does not."""
    q01 = {**span(QUOTES.iloc[0].to_dict())}
    for given, right in (("yan", 1), ("person:yan", 1), ("YAN", 1), ("Vitya", 0), (None, 0)):
        assert ad.score("quotes", [{**q01, "speaker": given}])["attribution"]["right"] == right, given
    putin = QUOTES[QUOTES.speaker_id == "vladimir_putin"]
    if len(putin):
        assert ad.score("quotes", [{**span(putin.iloc[0].to_dict()), "speaker": "Q7747"}])["attribution"]["right"] == 1


def test_figures_value_and_date_accuracy_on_matched_spans() -> None:
    """A wrong value lowers value accuracy only; a missing date counts wrong."""
    gold = perfect("figures")
    with_value = [i for i, p in enumerate(gold) if p["value"] is not None]
    with_date = [i for i, p in enumerate(gold) if p["date"] is not None]
    changed = [dict(p) for p in gold]
    changed[with_value[0]]["value"] = 12345.0
    changed[with_date[0]]["date"] = None
    result = ad.score("figures", changed)
    assert result["span"]["strict"]["f1"] == 1.0
    assert result["value"]["accuracy"] == pytest.approx((len(with_value) - 1) / len(with_value))
    assert result["date"]["accuracy"] == pytest.approx((len(with_date) - 1) / len(with_date))


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"char_start": 5, "char_end": 2}, "char_end"),
        ({"char_start": 0, "char_end": len(TEXT) + 1}, "char_end"),
        ({"char_start": -1, "char_end": 3}, "char_start"),
        ({"char_start": "x", "char_end": 3}, "char_start"),
        ({"char_start": 0, "char_end": 3, "speaker": 7}, "speaker"),
    ],
)
def test_a_bad_line_is_an_error_naming_the_line_and_the_field(tmp_path: Path, line: dict[str, Any], field: str) -> None:
    """The second line is bad: the error says line 2 and the field, and the command exits 1."""
    path = write_jsonl(tmp_path / "p.jsonl", [{"char_start": 0, "char_end": 3}, line])
    with pytest.raises(PredictionError, match=rf"line 2, field '{field}'"):
        ad.score("quotes", path)
    result = run(BIN / "article-data", "score", "quotes", path)
    assert result.returncode == 1 and "line 2" in result.stderr and field in result.stderr


def test_mention_type_is_required_and_checked(tmp_path: Path) -> None:
    """A mention without a known type is refused, naming the allowed values."""
    with pytest.raises(PredictionError, match="person, organization, place"):
        ad.score("mentions", [{"char_start": 22, "char_end": 27, "type": "PER"}])


def test_csv_and_json_lines_give_the_same_score_and_the_json_output_has_the_documented_keys(tmp_path: Path) -> None:
    """The same predictions as CSV and as JSON Lines score the same; --format json has the README's keys."""
    rows = perfect("quotes")[:5]
    jsonl = write_jsonl(tmp_path / "p.jsonl", rows)
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(
        "char_start,char_end,speaker\n"
        + "".join(f'{r["char_start"]},{r["char_end"]},"{r["speaker"]}"\n' for r in rows),
        encoding="utf-8",
    )
    assert ad.score("quotes", jsonl) == ad.score("quotes", csv_path)
    out = json.loads(run(BIN / "article-data", "score", "quotes", jsonl, "--format", "json", check=True).stdout)
    for scheme in ("strict", "partial"):
        assert set(out["span"][scheme]) >= {"precision", "recall", "f1"}
    assert "accuracy" in out["attribution"] and set(out["end_to_end"]) >= {"precision", "recall", "f1"}
    table = run(BIN / "article-data", "score", "quotes", jsonl, check=True).stdout
    assert "attribution accuracy" in table and "by quote type" in table
    mentions = json.loads(
        run(
            BIN / "article-data",
            "score",
            "mentions",
            write_jsonl(tmp_path / "m.jsonl", perfect("mentions")),
            "--format",
            "json",
            check=True,
        ).stdout
    )
    assert all(set(mentions[s]) >= {"precision", "recall", "f1"} for s in ("strict", "exact", "partial", "type"))


def test_the_shipped_json_schema_agrees_with_the_checks() -> None:
    """Lines the scorer accepts validate against predictions.schema.json; a reversed span is what it cannot say."""
    import jsonschema

    schema = json.loads(predictions_schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for task in ("mentions", "quotes", "figures"):
        for row in perfect(task):
            validator.validate(row)
    for bad in (
        {"char_start": 1},
        {"char_start": -1, "char_end": 2},
        {"char_start": 0, "char_end": 2, "type": "PER"},
        {"char_start": 0, "char_end": 2, "date": "April 2022"},
    ):
        assert not validator.is_valid(bad), bad


def test_the_baseline_in_the_datasheet_is_current() -> None:
    """DATASHEET.md's baseline table is what the baseline scores now."""
    result = run(BIN / "python", "-m", "article_data_build.baseline", "--check")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("argv", "extra"),
    [
        (["score", "mentions", "PREDICTIONS"], "score"),
        (["convert", "spacy", "-o", "OUT"], "spacy"),
        (["convert", "conll", "-o", "OUT"], "spacy"),
    ],
)
def test_a_command_needing_a_missing_extra_names_it(tmp_path: Path, argv: list[str], extra: str) -> None:
    """With nervaluate or spaCy unimportable (a sys.meta_path finder refuses it), the error names the extra."""
    module = "nervaluate" if extra == "score" else "spacy"
    predictions = write_jsonl(tmp_path / "p.jsonl", [{"char_start": 22, "char_end": 27, "type": "person"}])
    argv = [str(predictions) if a == "PREDICTIONS" else str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code = (
        "import sys\n"
        "class Refuse:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] == {module!r}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}')\n"
        "sys.meta_path.insert(0, Refuse())\n"
        "from article_data._cli import main\n"
        f"sys.exit(main({argv!r}))\n"
    )
    result = run(BIN / "python", "-c", code)
    assert result.returncode == 1, result.stderr
    assert f"pip install 'article-data[{extra}]'" in result.stderr and module in result.stderr
    assert not (tmp_path / "out").exists()
