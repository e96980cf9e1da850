import { ApolloLink } from '@apollo/client';
import { ServerError } from '@apollo/client/errors';
import type { FormattedExecutionResult } from 'graphql';
import { from, mergeMap, Observable, tap } from 'rxjs';
import type { TokenManager } from '../auth/token-manager.ts';
import { isNetworkFailure } from '../lib/errors.ts';
import type { Store } from '../lib/store.ts';

const refusedToken = (result: FormattedExecutionResult): boolean =>
  result.errors?.some((error) => error.extensions?.code === 'UNAUTHENTICATED') ?? false;

/**
 * Adds the access token to every request (renewed first when close to expiry), and when the
 * gateway still refuses it (expired in flight, or the tab slept past its renewal) renews once
 * and sends the operation again. A request sent without a token is never retried: its
 * UNAUTHENTICATED means "sign in".
 */
export function authLink(tokens: TokenManager): ApolloLink {
  return new ApolloLink((operation, forward) => {
    const send = (token: string | null) => {
      operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
        headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
      }));
      return forward(operation);
    };
    return from(tokens.accessToken()).pipe(
      mergeMap((token) => {
        if (!token) return send(null);
        return new Observable<ApolloLink.Result>((subscriber) => {
          let retried = false;
          let closed = false;
          const retry = () => {
            retried = true;
            tokens.renewAfterRejection(token).then(
              (renewed) => {
                if (closed) return;
                if (!renewed) return subscriber.error(new Error('Your session has ended'));
                current = send(renewed).subscribe(subscriber);
              },
              (error: unknown) => subscriber.error(error),
            );
          };
          let current = send(token).subscribe({
            next: (result) => {
              if (!retried && refusedToken(result as FormattedExecutionResult)) return retry();
              subscriber.next(result);
            },
            error: (error: unknown) => {
              if (!retried && ServerError.is(error) && error.statusCode === 401) return retry();
              subscriber.error(error);
            },
            complete: () => {
              if (!retried) subscriber.complete();
            },
          });
          return () => {
            closed = true;
            current.unsubscribe();
          };
        });
      }),
    );
  });
}

/** Tells the network banner whether the store can be reached, from each request's outcome. */
export function networkStatusLink(offline: Store<boolean>): ApolloLink {
  return new ApolloLink((operation, forward) =>
    forward(operation).pipe(
      tap({
        next: () => offline.set(false),
        error: (error: unknown) => {
          if (isNetworkFailure(error)) offline.set(true);
        },
      }),
    ),
  );
}
