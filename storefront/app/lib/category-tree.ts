/** The flat category list the API sends, as a tree for navigation and pickers. */
export interface FlatCategory {
  id: string;
  name: string;
  parent: { id: string } | null;
}

export interface CategoryNode<C extends FlatCategory = FlatCategory> {
  category: C;
  depth: number;
  children: CategoryNode<C>[];
}

const byName = <C extends FlatCategory>(a: CategoryNode<C>, b: CategoryNode<C>) =>
  a.category.name.localeCompare(b.category.name) || a.category.id.localeCompare(b.category.id);

/** Roots and children by name. A category whose parent is missing from the list is a root. */
export function buildCategoryTree<C extends FlatCategory>(
  categories: readonly C[],
): CategoryNode<C>[] {
  const nodes = new Map<string, CategoryNode<C>>();
  for (const category of categories) nodes.set(category.id, { category, depth: 0, children: [] });
  const roots: CategoryNode<C>[] = [];
  for (const node of nodes.values()) {
    const parent = node.category.parent ? nodes.get(node.category.parent.id) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const settle = (list: CategoryNode<C>[], depth: number) => {
    list.sort(byName);
    for (const node of list) {
      node.depth = depth;
      settle(node.children, depth + 1);
    }
  };
  settle(roots, 0);
  return roots;
}

/** The tree in reading order, each node once (for a <select>). */
export function flattenTree<C extends FlatCategory>(roots: CategoryNode<C>[]): CategoryNode<C>[] {
  const out: CategoryNode<C>[] = [];
  const walk = (list: CategoryNode<C>[]) => {
    for (const node of list) {
      out.push(node);
      walk(node.children);
    }
  };
  walk(roots);
  return out;
}

/** The ids from the root down to `id` (inclusive); empty when unknown. Cycles end the walk. */
export function pathTo(categories: readonly FlatCategory[], id: string): string[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const path: string[] = [];
  const seen = new Set<string>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.unshift(current.id);
    current = current.parent ? byId.get(current.parent.id) : undefined;
  }
  return path;
}
