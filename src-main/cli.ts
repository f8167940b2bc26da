// Placeholder until the CLI lands.
console.log('ganomaly-inspector');
