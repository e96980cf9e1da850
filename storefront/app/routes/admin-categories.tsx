import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { RequireSession } from '../auth/require-session.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field } from '../components/field.tsx';
import { CategoryTreeDocument, CreateCategoryDocument } from '../graphql/generated.ts';
import { buildCategoryTree, flattenTree } from '../lib/category-tree.ts';
import { describeError, type ShopError } from '../lib/errors.ts';

export const meta = () => [{ title: 'Categories — Tackle Shop admin' }];

function Categories() {
  const {
    data,
    error: loadError,
    refetch,
  } = useQuery(CategoryTreeDocument, { fetchPolicy: 'cache-and-network' });
  const [create, { loading }] = useMutation(CreateCategoryDocument, {
    refetchQueries: ['CategoryTree'],
  });
  const [error, setError] = useState<ShopError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const nodes = flattenTree(buildCategoryTree(data?.categories ?? []));
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  return (
    <>
      {loadError && <ErrorNotice error={describeError(loadError)} onRetry={() => void refetch()} />}
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const element = event.currentTarget;
          const form = new FormData(element);
          const parentId = String(form.get('parentId') ?? '');
          const slug = String(form.get('slug') ?? '').trim();
          setError(null);
          setCreated(null);
          create({
            variables: {
              input: {
                name: String(form.get('name') ?? ''),
                description: String(form.get('description') ?? ''),
                ...(slug ? { slug } : {}),
                ...(parentId ? { parentId } : {}),
              },
            },
          }).then(
            (result) => {
              setCreated(result.data?.createCategory.name ?? null);
              element.reset();
            },
            (err: unknown) => setError(describeError(err)),
          );
        }}
      >
        <h2>New category</h2>
        <Field label="Name" name="name" required maxLength={120} error={fieldError('name')} />
        <Field
          label="Slug (optional)"
          name="slug"
          maxLength={120}
          error={fieldError('slug')}
          hint="Lower-case letters, digits and dashes; made from the name when empty."
        />
        <Field
          label="Description (optional)"
          name="description"
          maxLength={1000}
          error={fieldError('description')}
        />
        <Field
          label="Parent"
          error={fieldError('parentId')}
          control={(props) => (
            <select {...props} name="parentId" defaultValue="">
              <option value="">None (a top-level category)</option>
              {nodes.map((node) => (
                <option key={node.category.id} value={node.category.id}>
                  {'\u00a0\u00a0'.repeat(node.depth)}
                  {node.category.name}
                </option>
              ))}
            </select>
          )}
        />
        {error && !error.field && <ErrorNotice error={error} />}
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={loading}>
            Create category
          </button>
          <span aria-live="polite">
            {created && <span className="ok">Created {created}.</span>}
          </span>
        </div>
      </form>
      <h2>All categories ({nodes.length})</h2>
      <ul className="category-list" data-testid="admin-categories">
        {nodes.map((node) => (
          <li key={node.category.id} className={`depth-${Math.min(node.depth, 4)}`}>
            {node.category.name} <span className="muted">/{node.category.slug}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

export default function AdminCategories() {
  return (
    <section aria-labelledby="categories-title">
      <h1 id="categories-title">Categories</h1>
      <RequireSession roles={['ADMIN']}>{() => <Categories />}</RequireSession>
    </section>
  );
}
