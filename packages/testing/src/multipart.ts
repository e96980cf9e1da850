/** One part of an incremental (multipart/mixed) GraphQL answer and when it arrived. */
export interface TimedPart {
  /** Milliseconds since the request was sent. */
  at: number;
  body: Record<string, unknown>;
}

/**
 * Posts a GraphQL request as a client that reads incremental answers (@defer) and reads the
 * answer part by part as it streams, noting each part's arrival. A plain JSON answer is one part.
 */
export async function postMultipart(
  url: string,
  request: { query: string; variables?: object },
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; parts: TimedPart[]; tail: string }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;deferSpec=20220824,application/json',
      ...headers,
    },
    body: JSON.stringify(request),
  });
  const type = response.headers.get('content-type') ?? '';
  const parts: TimedPart[] = [];
  let buffered = '';
  const decoder = new TextDecoder();
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    // A part is whole once the next delimiter has arrived.
    let end: number;
    while (type.startsWith('multipart/') && (end = buffered.indexOf('\r\n--graphql', 1)) > 0) {
      const part = buffered.slice(0, end);
      buffered = buffered.slice(end);
      const json = part.slice(part.indexOf('\r\n\r\n') + 4);
      if (json.trim()) parts.push({ at: performance.now() - started, body: JSON.parse(json) });
    }
  }
  if (!type.startsWith('multipart/'))
    parts.push({ at: performance.now() - started, body: JSON.parse(buffered) });
  return { status: response.status, type, parts, tail: buffered };
}
