/**
 * Why a call to another subgraph failed. Callers map these to contract codes: an unreachable,
 * slow or broken peer is never the client's fault, so it surfaces as INTERNAL_SERVER_ERROR with
 * the cause logged (service name, URL, reason), never as a wrong answer.
 */
export class SubgraphError extends Error {
  constructor(
    readonly service: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}: ${message}`, options);
    this.name = new.target.name;
  }
}

/** The peer could not be reached, timed out, or answered with a non-GraphQL HTTP error. */
export class SubgraphUnavailableError extends SubgraphError {}

/** The peer answered, but with GraphQL errors (their codes are kept for the caller). */
export class SubgraphResponseError extends SubgraphError {
  constructor(
    service: string,
    readonly errors: readonly GraphQLErrorBody[],
  ) {
    super(
      service,
      `answered with errors: ${errors.map((e) => `${e.message} [${e.extensions?.code ?? '?'}]`).join('; ')}`,
    );
  }

  /** The contract code of the first error, for example UNAUTHENTICATED or BAD_USER_INPUT. */
  get code(): string | undefined {
    const code = this.errors[0]?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
}

export interface GraphQLErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; [key: string]: unknown };
}
