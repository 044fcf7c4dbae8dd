// Checks one metadata XML file: well-formed, Metadata API namespace on the root element, root element
// matching the file's suffix, apiVersion not newer than the project's. SDR converts without reading the XML,
// so without this a broken file is only found at deploy time.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createRequire } from 'node:module';
import path from 'node:path';
import { lineOfOffset } from './metadata-files.mjs';

const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Root element names accepted per file suffix (`Foo.cls-meta.xml` -> 'cls'), from SDR's own registry so it
 * knows every type SDR can deploy. Suffixes shared by several types accept any of them.
 */
export function loadRootElementsBySuffix(root) {
    const registry = createRequire(path.join(root, 'package.json'))(
        '@salesforce/source-deploy-retrieve/lib/src/registry/metadataRegistry.json'
    );
    const bySuffix = new Map();
    const add = (suffix, name) => {
        if (!suffix) return;
        if (!bySuffix.has(suffix)) bySuffix.set(suffix, new Set());
        bySuffix.get(suffix).add(name);
    };
    const visit = (type) => {
        add(type.suffix, type.name);
        add(type.legacySuffix, type.name);
        for (const child of Object.values(type.children?.types ?? {})) visit(child);
    };
    for (const type of Object.values(registry.types)) visit(type);
    // bundles are typed by directory, not suffix: their meta files are named after the bundle's main file
    add('js', 'LightningComponentBundle');
    for (const suffix of ['cmp', 'app', 'evt', 'intf', 'design', 'tokens'])
        add(suffix, 'AuraDefinitionBundle');
    return bySuffix;
}

/** The suffix SDR types a `-meta.xml` file by, or undefined for other XML. */
function metaSuffix(file) {
    const match = /\.([^./]+)-meta\.xml$/.exec(path.basename(file));
    return match ? match[1] : undefined;
}

/**
 * Problems of one XML file as `{ line, message }`.
 * @param options.requireNamespace false for XML that is content rather than metadata (static resource files)
 * @param options.rootElementsBySuffix from loadRootElementsBySuffix
 * @param options.sourceApiVersion e.g. '65.0'
 */
export function checkMetadataXml(text, file, { requireNamespace, rootElementsBySuffix, sourceApiVersion }) {
    const valid = XMLValidator.validate(text, { allowBooleanAttributes: true });
    if (valid !== true) {
        return [{ line: valid.err.line, message: `malformed XML: ${valid.err.msg} (${valid.err.code})` }];
    }
    if (!requireNamespace) return [];

    const parsed = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@_',
        ignoreDeclaration: true,
        parseTagValue: false
    }).parse(text);
    const roots = Object.keys(parsed).filter((key) => !key.startsWith('?') && !key.startsWith('#'));
    if (roots.length !== 1) return [{ line: 1, message: `expected one root element, found ${roots.length}` }];
    const [rootName] = roots;
    const rootNode = parsed[rootName];
    const problems = [];
    const namespace = typeof rootNode === 'object' && rootNode !== null ? rootNode['@_xmlns'] : undefined;
    if (namespace !== METADATA_NAMESPACE) {
        problems.push({
            line: lineOf(text, `<${rootName}`),
            message: `root <${rootName}> must declare xmlns="${METADATA_NAMESPACE}"${namespace ? ` (found "${namespace}")` : ''}`
        });
    }
    const suffix = metaSuffix(file);
    const expected = suffix ? rootElementsBySuffix.get(suffix) : undefined;
    if (expected && !expected.has(rootName)) {
        problems.push({
            line: lineOf(text, `<${rootName}`),
            message: `a .${suffix}-meta.xml file must have root <${[...expected].join('> or <')}>, not <${rootName}>`
        });
    }
    const apiVersion = typeof rootNode === 'object' && rootNode !== null ? rootNode.apiVersion : undefined;
    if (apiVersion !== undefined && sourceApiVersion && Number(apiVersion) > Number(sourceApiVersion)) {
        problems.push({
            line: lineOf(text, '<apiVersion>'),
            message: `apiVersion ${apiVersion} is newer than the project's sourceApiVersion ${sourceApiVersion}`
        });
    }
    problems.push(...checkLengths(rootName, rootNode, text));
    problems.push(...checkOneValuePerBlock(rootName, rootNode, text));
    return problems;
}

/** Roots whose access blocks (fieldPermissions, classAccesses...) name one thing each. */
const ACCESS_ROOTS = new Set(['PermissionSet', 'Profile', 'MutingPermissionSet']);

/**
 * An access block with a child element twice (two <field> in one <fieldPermissions>, as a careless merge of two
 * added blocks leaves it): XML accepts it, the Metadata API refuses the file.
 */
function checkOneValuePerBlock(rootName, rootNode, text) {
    const problems = [];
    if (!ACCESS_ROOTS.has(rootName) || typeof rootNode !== 'object' || rootNode === null) return problems;
    for (const [element, value] of Object.entries(rootNode)) {
        for (const block of Array.isArray(value) ? value : [value]) {
            if (typeof block !== 'object' || block === null) continue;
            for (const [child, childValue] of Object.entries(block)) {
                if (!Array.isArray(childValue)) continue;
                problems.push({
                    line: lineOf(text, `<${child}>${childValue[0]}</${child}>`),
                    message: `<${element}> has ${childValue.length} <${child}> elements (${childValue.join(', ')}): the Metadata API allows one per block`
                });
            }
        }
    }
    return problems;
}

/**
 * Documented length limits the Metadata API enforces at deploy time (and XML happily accepts):
 * top-level text elements per root element.
 */
const LENGTH_LIMITS = {
    PermissionSet: { label: 80, description: 255 },
    PermissionSetGroup: { label: 80, description: 255 },
    CustomField: { label: 40, description: 1000, inlineHelpText: 510 },
    CustomObject: { label: 40, pluralLabel: 40, description: 1000 },
    CustomPermission: { label: 80, description: 255 },
    CustomTab: { label: 40, description: 255 }
};

function checkLengths(rootName, rootNode, text) {
    const problems = [];
    if (typeof rootNode !== 'object' || rootNode === null) return problems;
    for (const [element, max] of Object.entries(LENGTH_LIMITS[rootName] ?? {})) {
        const value = rootNode[element];
        if (typeof value === 'string' && value.length > max) {
            problems.push({
                line: lineOf(text, `<${element}>`),
                message: `<${element}> is ${value.length} characters; the Metadata API allows ${max}`
            });
        }
    }
    if (rootName === 'CustomLabels') {
        const labels = Array.isArray(rootNode.labels)
            ? rootNode.labels
            : rootNode.labels
              ? [rootNode.labels]
              : [];
        for (const label of labels) {
            if (typeof label.value === 'string' && label.value.length > 1000) {
                problems.push({
                    line: lineOf(text, `<fullName>${label.fullName}</fullName>`),
                    message: `label ${label.fullName}: value is ${label.value.length} characters; the limit is 1000`
                });
            }
            if (typeof label.fullName === 'string' && label.fullName.length > 80) {
                problems.push({
                    line: lineOf(text, label.fullName),
                    message: `label name ${label.fullName} is over 80 characters`
                });
            }
        }
    }
    return problems;
}

/** 1-based line of the first `needle` in `text`, 1 when absent. */
function lineOf(text, needle) {
    const index = text.indexOf(needle);
    return index < 0 ? 1 : lineOfOffset(text, index);
}
