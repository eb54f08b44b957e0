// What a static .wasm import gives a Worker: the module wrangler compiled at bundle time.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
