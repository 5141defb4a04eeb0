declare module 'astro' {
  interface AstroClientDirectives {
    /** Hydrate when idle, or on first focus or pointer inside the island (src/directives/soon.ts). */
    'client:soon'?: boolean;
  }
}

export {};
