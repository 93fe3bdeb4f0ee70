import { genmeta, trackingFetch } from '../../../lib/genmeta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

interface Completion {
  id: string;
  choices: Array<{ message: { content: string } }>;
}

export const POST = genmeta.handle(
  async (request: Request) => {
    const { prompt } = (await request.json()) as { prompt?: string };
    // Read per request, never at module scope: `next build` loads this module without them.
    const baseUrl = process.env.OPENROUTER_BASE_URL ?? 'https://openrouter.ai/api/v1';
    const response = await trackingFetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${process.env.OPENROUTER_API_KEY ?? ''}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: prompt ?? 'Hello' }],
      }),
    });
    if (!response.ok) {
      return Response.json({ error: 'upstream failed' }, { status: 502 });
    }
    const completion = (await response.json()) as Completion;
    return Response.json({ id: completion.id, text: completion.choices[0]?.message.content ?? '' });
  },
  { route: '/api/chat' },
);
