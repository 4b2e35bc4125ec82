import { createServer } from 'node:http';

export interface ChatRequest {
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[]; temperature?: number };
}

/** How the fake service answers one request: the assistant's text, an HTTP error, or no answer for a while. */
export type ChatReply = { content: string } | { status: number } | { hangMs: number };

/**
 * A server on loopback speaking the OpenAI chat completions API (`POST /v1/chat/completions`), as an
 * OpenAI-compatible or Azure service would, recording every request so a test can see what left Huddle.
 */
export async function startChatCompletions(reply: (request: ChatRequest) => ChatReply) {
  const requests: ChatRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.statusCode = 404;
      res.end('{"error":{"message":"not found"}}');
      return;
    }
    const request: ChatRequest = {
      authorization: req.headers.authorization,
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest['body'],
    };
    requests.push(request);
    const answer = reply(request);
    res.setHeader('content-type', 'application/json');
    if ('hangMs' in answer) await new Promise((wait) => setTimeout(wait, answer.hangMs));
    if ('status' in answer) {
      res.statusCode = answer.status;
      res.end(JSON.stringify({ error: { message: 'injected', type: 'server_error' } }));
      return;
    }
    res.end(
      JSON.stringify({
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'content' in answer ? answer.content : '' },
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
