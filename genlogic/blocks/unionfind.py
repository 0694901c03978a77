"""A proof-producing union-find over names (after Nieuwenhuis and Oliveras).

Besides the usual parent links it keeps a proof forest: every union adds one edge
labelled with the equality fact that justified it.  ``explain(a, b)`` returns the
edges on the forest path from a to b, from which the block builds an ``=[a,b]``
fact with eq-symm and eq-trans steps.  Copies are cheap (three dicts).
"""

from __future__ import annotations

__all__ = ["UnionFind"]


class UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}
        self.size: dict[str, int] = {}
        self.proof: dict[str, tuple[str, object]] = {}   # node -> (neighbour, label)

    def copy(self) -> "UnionFind":
        other = UnionFind()
        other.parent = dict(self.parent)
        other.size = dict(self.size)
        other.proof = dict(self.proof)
        return other

    def add(self, name: str) -> None:
        if name not in self.parent:
            self.parent[name] = name
            self.size[name] = 1

    def find(self, name: str) -> str:
        parent = self.parent
        if name not in parent:
            return name
        root = name
        while parent[root] != root:
            root = parent[root]
        while parent[name] != root:
            parent[name], name = root, parent[name]
        return root

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)

    def union(self, a: str, b: str, label: object) -> bool:
        """Merge the classes of a and b; ``label`` justifies a = b.  False if already one."""
        self.add(a)
        self.add(b)
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        # proof forest: make a the root of its tree, then hang it under b
        self._reroot(a)
        self.proof[a] = (b, label)
        # representative: the smaller name of the larger class keeps determinism simple
        if (self.size[ra], rb) < (self.size[rb], ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return True

    def _reroot(self, node: str) -> None:
        previous, label = None, None
        while node is not None:
            nxt = self.proof.get(node)
            if previous is None:
                self.proof.pop(node, None)
            else:
                self.proof[node] = (previous, label)
            if nxt is None:
                break
            previous, (node, label) = node, nxt

    def _path_to_root(self, node: str) -> list[str]:
        path = [node]
        while node in self.proof:
            node = self.proof[node][0]
            path.append(node)
        return path

    def explain(self, a: str, b: str) -> list[tuple[str, str, object]]:
        """Edges (x, y, label) leading from a to b; each label proves x = y or y = x."""
        if a == b:
            return []
        pa, pb = self._path_to_root(a), self._path_to_root(b)
        on_b = {n: i for i, n in enumerate(pb)}
        common_index = next(i for i, n in enumerate(pa) if n in on_b)
        common = pa[common_index]
        edges = []
        for x in pa[:common_index]:
            y, label = self.proof[x]
            edges.append((x, y, label))
        back = []
        for y in pb[:on_b[common]]:
            x, label = self.proof[y]
            back.append((x, y, label))     # edge y -> x traversed as x -> y
        edges.extend(reversed(back))
        return edges
