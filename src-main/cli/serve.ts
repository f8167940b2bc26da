// `ganomaly-inspector serve`: the app in a browser, on this machine by default.
import { Command, InvalidArgumentError } from 'commander';
import { defaultDbPath } from '../data-dir';
import { startWebMode } from '../server/web-mode';
import { UPLOAD_LIMITS } from '../services/uploads';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

const MIB = 1024 * 1024;

function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 64 * 1024) throw new InvalidArgumentError('must be a size in MiB, above 0 and at most 65536');
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the app to a browser (local web mode): API over HTTP, events over SSE')
    .option('--db <file>', 'library database (default: $GANOMALY_DATA_DIR or ~/.ganomaly-inspector, library.sqlite)')
    .option('--port <n>', 'port to listen on; 0 picks a free one', port, 5180)
    .option('--host <address>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--no-token', 'on loopback only: let any local user or process in without the printed token')
    .option('--max-upload-mb <n>', 'largest file a browser may upload, in MiB', megabytes, UPLOAD_LIMITS.maxFileBytes / MIB)
    .action(async (opts: { db?: string; port: number; host: string; token: boolean; maxUploadMb: number }) => {
      const log = (line: string) => console.error(line);
      // $GANOMALY_WEB_TOKEN fixes the token (scripts, tests); the environment, unlike argv, is private to the user.
      const token = opts.token ? process.env.GANOMALY_WEB_TOKEN || undefined : null;
      const maxUploadBytes = Math.round(opts.maxUploadMb * MIB);
      const web = await startWebMode({ dbPath: opts.db ?? defaultDbPath(), host: opts.host, port: opts.port, token, maxUploadBytes, log }).catch(
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'EADDRINUSE') throw new Error(`port ${opts.port} is in use: pass --port <n> (0 = any free port)`);
          throw err;
        },
      );
      if (!web.servesApp) console.error('note: no renderer build in out/renderer (run `npm run build`); serving the API only');
      if (web.staleBuild.length) {
        console.error(`note: the renderer build in out/renderer is older than ${web.staleBuild.join(' and ')}: its screens may not match this API (run \`npm run build\`)`);
      }
      console.log(`GANomaly Inspector web mode: ${web.server.url}`);
      console.log(`library: ${web.host.store.file}`);
      if (web.server.token) console.log(`every request needs the token: open the URL above (it carries it)`);
      else console.log('--no-token: any local user or process may use this server');
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await web.close();
    });
}
