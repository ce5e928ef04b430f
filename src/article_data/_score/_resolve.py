"""A system's name for an entity resolved to the dataset's: id, ``type:id``, Wikidata QID, or a name."""

from __future__ import annotations

from .._annotations import Annotations

__all__ = ["resolve"]


def resolve(ann: Annotations, given: str | None, *, names: bool) -> set[str]:
    """The keys (``type:id``) of the entities ``given`` may mean; names and aliases count when ``names``.

    Ids, keys and QIDs match exactly; names, labels and aliases without regard to case.
    """
    if not given:
        return set()
    wanted = given.strip()
    folded = wanted.casefold()
    found = set()
    for key, entity in ann.entities.items():
        if wanted in (entity.id, entity.key, entity.wikidata_id) or (
            names and folded in {n.casefold() for n in entity.names}
        ):
            found.add(key)
    return found
