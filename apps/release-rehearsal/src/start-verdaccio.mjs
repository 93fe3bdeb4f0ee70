// Runs Verdaccio with the config file given as argv[2] on a free loopback port and prints
// `listening <url>` once it accepts requests. Run as its own process so that stopping the
// registry is one signal, and its logs never mix with the test's.
import { runServer } from 'verdaccio';

const server = await runServer(process.argv[2]);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}/\n`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin open: when it ends (the test run died), the registry goes too.
process.stdin.on('end', stop).resume();
