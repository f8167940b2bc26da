// Preload bridge (the typed API arrives with the shell).
export {};
