// Preloaded into Microsoft 365 Agents Playground (`node -r`): it listens on every interface and has no
// host option, and Huddle's local mode is unauthenticated, so every server it opens is forced onto
// 127.0.0.1. Plain CommonJS because `node -r` loads it before any TypeScript tooling.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function loopbackListen(...args) {
  if (typeof args[0] === 'number' || typeof args[0] === 'string') {
    const host = typeof args[1] === 'string' ? 1 : -1;
    if (host === 1) args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  } else if (args[0] !== null && typeof args[0] === 'object' && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
