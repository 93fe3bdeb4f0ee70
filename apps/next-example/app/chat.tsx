'use client';

import { GenmetaProvider, useGeneration } from '@genmeta/react-hooks';
import { useState } from 'react';

function Cost({ id }: { id: string }) {
  const { data, status, isWaiting } = useGeneration(id);
  if (status === 'error') return <p data-testid="cost">stats unavailable</p>;
  if (data === undefined)
    return <p data-testid="cost">{isWaiting ? 'waiting for stats…' : 'loading…'}</p>;
  return (
    <p data-testid="cost">
      {data.model}: ${data.total_cost} ({data.tokens_prompt} + {data.tokens_completion} tokens)
    </p>
  );
}

export function Chat() {
  const [reply, setReply] = useState<{ id: string; text: string } | null>(null);
  const send = async () => {
    const response = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Hello from Next.js' }),
    });
    setReply((await response.json()) as { id: string; text: string });
  };
  return (
    <GenmetaProvider baseUrl="/api/genmeta">
      <button type="button" onClick={send}>
        Send
      </button>
      {reply && <p data-testid="reply">{reply.text}</p>}
      {reply && <Cost id={reply.id} />}
    </GenmetaProvider>
  );
}
