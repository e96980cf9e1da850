import type http from 'node:http';
import { CLIENT_ADDRESS_HEADER, verifyClientAddress } from '@shop/auth';
import type { Logger } from '@shop/logging';

/** The client address the gateway signed for this request, or null (absent or not genuine). */
export function clientAddressFromRequest(
  req: http.IncomingMessage,
  secret: string,
  logger: Logger,
): string | null {
  const header = req.headers[CLIENT_ADDRESS_HEADER];
  if (typeof header !== 'string' || header === '') return null;
  try {
    return verifyClientAddress(header, secret);
  } catch (error) {
    logger.warn({ reason: (error as Error).message }, 'refused client-address header');
    return null;
  }
}
