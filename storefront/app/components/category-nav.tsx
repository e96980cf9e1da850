import { Link } from 'react-router';
import type { CategoryTreeQuery } from '../graphql/generated.ts';
import { buildCategoryTree, pathTo, type CategoryNode } from '../lib/category-tree.ts';

type Category = CategoryTreeQuery['categories'][number];

/**
 * The category tree as links. The chosen category's branch is open, the rest show their top
 * level only, so the list stays short on a phone.
 */
export function CategoryNav({
  categories,
  selected,
  hrefFor,
}: {
  categories: readonly Category[];
  selected: string | undefined;
  hrefFor: (categoryId: string | undefined) => string;
}) {
  const open = new Set(selected ? pathTo(categories, selected) : []);
  const render = (nodes: CategoryNode<Category>[]) => (
    <ul>
      {nodes.map((node) => (
        <li key={node.category.id}>
          <Link
            to={hrefFor(node.category.id)}
            aria-current={node.category.id === selected ? 'page' : undefined}
            className={node.category.id === selected ? 'current' : undefined}
          >
            {node.category.name}
          </Link>
          {node.children.length > 0 && open.has(node.category.id) && render(node.children)}
        </li>
      ))}
    </ul>
  );
  return (
    <nav aria-label="Categories" className="category-nav">
      <h2>Categories</h2>
      <ul>
        <li>
          <Link to={hrefFor(undefined)} className={selected ? undefined : 'current'}>
            All products
          </Link>
        </li>
      </ul>
      {render(buildCategoryTree(categories))}
    </nav>
  );
}
