import { formatUsd } from '@genmeta/core';
import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react';
import { ChatRequestError, streamChat } from './chat-stream.ts';
import { CostCard } from './components/cost-card.tsx';
import { RequestLogPanel } from './components/request-log-panel.tsx';
import { useAppInfo } from './use-app-info.ts';

type ChatStatus = 'idle' | 'streaming' | 'done' | 'error';

/** The whole page: a prompt, the streamed reply, its live cost card and the server's cost log. */
export function App() {
  const info = useAppInfo();
  const [prompt, setPrompt] = useState('');
  const [reply, setReply] = useState('');
  const [status, setStatus] = useState<ChatStatus>('idle');
  const [errorMessage, setErrorMessage] = useState<string | null>(null);
  const [generationId, setGenerationId] = useState<string | null>(null);
  const [requestId, setRequestId] = useState<string | null>(null);
  const [pickedUser, setPickedUser] = useState<string | null>(null);
  const [limitedMessage, setLimitedMessage] = useState<string | null>(null);
  const [refusals, setRefusals] = useState(0);
  const user = pickedUser ?? info?.users[0]?.id ?? 'ada';
  const controllerRef = useRef<AbortController | null>(null);
  const hintId = useId();
  const streaming = status === 'streaming';

  async function send() {
    const text = prompt.trim();
    if (!text || streaming) return;
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setStatus('streaming');
    setReply('');
    setErrorMessage(null);
    setGenerationId(null);
    setRequestId(null);
    setLimitedMessage(null);
    let finalId: string | null = null;
    try {
      await streamChat(
        text,
        user,
        (event) => {
          if (event.type === 'delta') setReply((previous) => previous + event.text);
          else if (event.type === 'start') {
            finalId = event.generationId ?? finalId;
            setRequestId(event.requestId);
          } else if (event.type === 'done') finalId = event.generationId ?? finalId;
          else if (event.type === 'error') throw new Error(event.message);
        },
        controller.signal,
      );
      // The card appears once the reply is complete: stats are usually not ready yet.
      setGenerationId(finalId);
      setStatus('done');
    } catch (error) {
      if (controller.signal.aborted) return;
      setGenerationId(finalId);
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof ChatRequestError && error.status === 429) {
        setLimitedMessage(message);
        setRefusals((count) => count + 1);
      } else setErrorMessage(message);
      setStatus('error');
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void send();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <>
      <header className="site-header">
        <div className="site-header-inner">
          <h1>genmeta example</h1>
          <p className="tagline">Ask something, read the reply, see what it cost.</p>
          {info && (
            <p className="mode" data-mode={info.mode}>
              {info.mode === 'offline'
                ? 'Offline: a fake OpenRouter runs inside the server'
                : 'Live: OpenRouter'}
              <span className="mode-model"> · model {info.model}</span>
            </p>
          )}
        </div>
      </header>

      <main className="layout">
        <div className="column">
          <section className="panel" aria-labelledby="ask-heading">
            <h2 id="ask-heading">Ask</h2>
            <form className="prompt-form" onSubmit={onSubmit}>
              <label htmlFor="user">Demo user</label>
              <select
                id="user"
                name="user"
                value={user}
                onChange={(event) => {
                  setPickedUser(event.target.value);
                  setLimitedMessage(null);
                }}
              >
                {(info?.users ?? []).map((demoUser) => (
                  <option key={demoUser.id} value={demoUser.id}>
                    {demoUser.name}
                    {demoUser.limitUsd === null
                      ? ''
                      : ` (spend limit ${formatUsd(demoUser.limitUsd)} per ${(demoUser.limitWindowMs ?? 0) / 60_000} min)`}
                  </option>
                ))}
              </select>
              <label htmlFor="prompt">Prompt</label>
              <textarea
                id="prompt"
                name="prompt"
                rows={3}
                required
                maxLength={4000}
                value={prompt}
                onChange={(event) => setPrompt(event.target.value)}
                onKeyDown={onKeyDown}
                aria-describedby={hintId}
                placeholder="What is a generation id?"
              />
              <p id={hintId} className="hint">
                Ctrl+Enter sends.
                {info?.mode === 'offline' && ' Offline, the fake answers by echoing your prompt.'}
              </p>
              <button type="submit" aria-disabled={streaming || undefined}>
                {streaming ? 'Sending…' : 'Send'}
              </button>
            </form>
          </section>

          <section className="panel" aria-labelledby="reply-heading">
            <h2 id="reply-heading">Reply</h2>
            <div
              className="reply"
              data-testid="reply"
              data-state={status}
              aria-live="polite"
              aria-busy={streaming}
            >
              {reply ||
                (status === 'idle' ? (
                  <p className="muted">The reply streams in here.</p>
                ) : status === 'streaming' ? (
                  <p className="muted">Waiting for the first words…</p>
                ) : null)}
            </div>
            {errorMessage && (
              <p className="error" role="alert">
                {errorMessage}
              </p>
            )}
            {limitedMessage && (
              <p className="error limit-notice" role="alert" data-testid="limit-notice">
                <strong>429 Spend limit reached.</strong> {limitedMessage}
              </p>
            )}
          </section>
        </div>

        <div className="column">
          <section className="panel" aria-labelledby="cost-heading">
            <h2 id="cost-heading">Cost of this reply</h2>
            <CostCard generationId={generationId} cliCommand={info?.cliCommand ?? null} />
          </section>

          <section className="panel" aria-labelledby="log-heading">
            <h2 id="log-heading">Request log</h2>
            <RequestLogPanel
              currentRequestId={requestId}
              users={info?.users ?? []}
              refusals={refusals}
            />
          </section>
        </div>
      </main>

      <footer className="site-footer">
        <p>
          The server logs one cost record per request (costLogger), the card asks the server's proxy
          route (generationProxy + useGeneration), and the CLI reads the same numbers.
        </p>
      </footer>
    </>
  );
}
