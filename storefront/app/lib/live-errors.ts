/**
 * The WebSocket close code behind a subscription error, when the socket closed (Apollo's
 * GraphQLWsLink reports "Socket closed with event <code> <reason>"); null for other errors.
 */
export function socketCloseCode(error: { message: string } | undefined | null): number | null {
  const match = error ? /Socket closed with event (\d{4})\b/.exec(error.message) : null;
  return match ? Number(match[1]) : null;
}

/** The gateway closes a subscription socket with 4401 when its token expires or its session ends. */
export const CLOSE_UNAUTHORIZED = 4401;
