// The validate stages in the order they run: cheap syntax checks first, the slow analyzers last.
export const STAGE_NAMES = [
    'apex-syntax',
    'apex-format',
    'apex-semantic',
    'lwc-eslint',
    'code-eslint',
    'typescript',
    'lwc-compile',
    'metadata-xml',
    'labels',
    'metadata-convert',
    'apex-pmd',
    'vulnerable-libs'
];

export async function loadStage(name) {
    if (!STAGE_NAMES.includes(name)) throw new Error(`unknown validate stage ${name}`);
    const module = await import(`./${name}.mjs`);
    return module.default;
}
