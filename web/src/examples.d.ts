// Filled at build time by build.mjs from the repository's examples/ folder.
declare module "virtual:examples" {
  const examples: { name: string; description: string; files: { name: string; text: string }[] }[];
  export default examples;
}
