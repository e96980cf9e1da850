export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: {
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; [key: string]: unknown };
  }[];
}

/** POSTs one GraphQL operation as a client would, returning the HTTP status with the body. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    // As today's clients ask (graphql-http's, the storefront's): request errors then come with
    // 4xx statuses; under plain application/json they come with 200 (GraphQL over HTTP).
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/**
 * The `data` of one operation, for fixtures and load scripts that only go on when it worked:
 * GraphQL errors are thrown with their messages. `token` is sent as a Bearer token.
 */
export async function graphqlData<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await graphql<T>(
    url,
    query,
    variables,
    token ? { authorization: `Bearer ${token}` } : {},
  );
  if (response.errors?.length)
    throw new Error(`GraphQL error: ${response.errors.map((e) => e.message).join('; ')}`);
  if (response.data == null) throw new Error(`GraphQL answered ${response.status} without data`);
  return response.data;
}
