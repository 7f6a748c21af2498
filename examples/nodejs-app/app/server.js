/* global process, console */
// A tiny HTTP app: GET / says hello, GET /healthz answers 200 for the health check.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8080);
const greeting = process.env.GREETING ?? 'hello';

createServer((req, res) => {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  res
    .writeHead(200, { 'content-type': 'text/plain' })
    .end(`${greeting} from ${process.env.HOSTNAME ?? 'a spot instance'}\n`);
}).listen(port, () => console.log(`listening on :${port}`));
