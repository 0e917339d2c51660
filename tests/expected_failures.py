# SPDX-License-Identifier: LGPL-2.1-or-later
"""Expected failures listed by name, shared by tests/corpus/run and tests/holdout/run.

The list is a tab-separated file: a header line "id<TAB>fields<TAB>reason", then one
line per machine (or capture) that is expected to get some fields wrong:

    aws-i3-metal-kvm-host	hypervisor,role	Amazon EC2 DMI on a .metal instance: ...

Lines starting with '#' and blank lines are ignored. A run fails when a field
fails that is not listed for its machine, and when a listed field passes
(XPASS: the entry is stale and must be removed), so the list always says
exactly what is wrong today.
"""
import os

HEADER = "id\tfields\treason"
TODO = "TODO reason"


class ListError(Exception):
    pass


def load(path, known_fields):
    """{id: (frozenset of fields, reason)}; {} when PATH does not exist."""
    entries = {}
    if not os.path.exists(path):
        return entries
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#") or line == HEADER:
                continue
            parts = line.split("\t")
            if len(parts) != 3 or not parts[0] or not parts[2].strip():
                raise ListError("%s:%d: want 'id<TAB>fields<TAB>reason'" % (path, n))
            name, fields, reason = parts
            fields = frozenset(x.strip() for x in fields.split(","))
            unknown = fields - set(known_fields)
            if unknown:
                raise ListError("%s:%d: unknown field(s) %s (known: %s)" % (
                    path, n, ",".join(sorted(unknown)), ",".join(known_fields)))
            if name in entries:
                raise ListError("%s:%d: %s listed twice" % (path, n, name))
            entries[name] = (fields, reason)
    return entries


def judge(failed, listed):
    """(unexpected failures, expected failures, stale entries) of one machine, each a sorted list of
    fields. FAILED is the set of fields it got wrong, LISTED its entry's fields (or an empty set)."""
    return sorted(failed - listed), sorted(failed & listed), sorted(listed - failed)


def order(fields, known_fields):
    return ",".join(f for f in known_fields if f in fields)


def write(path, failed, old, known_fields):
    """Rewrite PATH from FAILED ({id: set of failing fields}): an entry per failing machine, keeping
    the reason of one already listed and writing TODO_REASON for a new one. Leading comments stay."""
    comments = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    break
                comments.append(line.rstrip("\n"))
    lines = comments + [HEADER]
    for name in sorted(failed):
        if failed[name]:
            reason = old[name][1] if name in old else TODO
            lines.append("%s\t%s\t%s" % (name, order(failed[name], known_fields), reason))
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
    return sum(1 for n in failed if failed[n])
