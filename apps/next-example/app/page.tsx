import { Chat } from './chat';

export default function Page() {
  return (
    <main>
      <h1>genmeta with Next.js</h1>
      <Chat />
    </main>
  );
}
