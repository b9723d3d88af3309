declare module "espeak-ng" {
  interface ESpeakNgModule {
    FS: { readFile(path: string): Uint8Array };
  }
  /** Runs the espeak-ng command line once, in WASM, with an in-memory file system. */
  export default function ESpeakNg(options: {
    arguments: string[];
    print?: (s: string) => void;
    printErr?: (s: string) => void;
  }): Promise<ESpeakNgModule>;
}
