// @genmeta/react-hooks rendered on the server (react-dom/server) with React 19 and with React 18.0
// (the peer range's floor): pending for an id it has not found, success with initialData.
// app-dependencies: react@^19.0.0 react-dom@^19.0.0
// app-dependencies: react@~18.0.0 react-dom@~18.0.0
import assert from 'node:assert/strict';
import { GenmetaProvider, useGeneration } from '@genmeta/react-hooks';
import { createElement, version } from 'react';
import { renderToString } from 'react-dom/server';

const baseUrl = process.env.OPENROUTER_BASE_URL;
const apiKey = process.env.OPENROUTER_API_KEY;
const authorization = { authorization: `Bearer ${apiKey}` };

// A finished generation, fetched the way a server would before rendering the page.
const created = await fetch(`${baseUrl.replace(/\/api\/v1$/, '')}/__fake/generations`, {
  method: 'POST',
  headers: { ...authorization, 'content-type': 'application/json' },
  body: JSON.stringify({ count: 1, readyInMs: 0 }),
});
assert.equal(created.status, 200);
const [id] = (await created.json()).ids;
const found = await fetch(`${baseUrl}/generation?id=${id}`, { headers: authorization });
assert.equal(found.status, 200);
const generation = (await found.json()).data;

function Cost({ id, initialData }) {
  const { status, data } = useGeneration(id, { initialData });
  return createElement('p', null, `${status}:${data?.model ?? 'none'}`);
}

const html = renderToString(
  createElement(
    GenmetaProvider,
    { baseUrl: '/api/genmeta' },
    createElement(Cost, { id: 'gen-1764704027-YmgZuzDAKrAywxh1aHQW' }),
    createElement(Cost, { id, initialData: generation }),
  ),
);
assert.ok(html.includes('pending:none'), `an unknown id renders pending: ${html}`);
assert.ok(html.includes(`success:${generation.model}`), `initialData renders success: ${html}`);

console.log(`React ${version}: ${html}`);
