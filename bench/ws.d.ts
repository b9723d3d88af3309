// Minimal typing for the `ws` client we hand to @hocuspocus/provider as its WebSocketPolyfill
// (@types/ws is not installed; the provider accepts any WebSocket-compatible constructor).
declare module "ws" {
  const WebSocket: new (url: string) => unknown;
  export default WebSocket;
}
