// A plain node-redis client of the test's own, to look at what the stores wrote.
import { createClient } from 'redis';

export async function rawClient(url: string) {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  return client;
}
