'use strict';
/**
 * Two Jest projects, one run and one summary:
 *  - lwc:        the Lightning web components, through sfdx-lwc-jest (jsdom, LWC transformer, .ts sources)
 *  - phone-core: the pure TypeScript telephony core and the build/validate tooling tests (node)
 *  - simulator:  the local contact centre's API contract, ACD and storage (node)
 *  - voice-connector: the Salesforce Voice connector over phone-core and scv-connector-base (node)
 */
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/** TypeScript (and sip.js's ES modules) for Node through Babel: the phone-core and voice-connector projects. */
const NODE_TYPESCRIPT = {
    '^.+\\.(ts|js)$': [
        'babel-jest',
        {
            presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript']
        }
    ]
};

module.exports = {
    // A timeout only bounds a hang, it is never the thing tested: Jest's 5 s default cut fake-clock tests
    // short on a machine busy with three or four CPU-bound processes.
    testTimeout: 30000,
    projects: [
        {
            ...jestConfig,
            displayName: 'lwc',
            // .ts before .js: a stale generated .js beside its .ts must never be the one tested
            moduleFileExtensions: ['ts', 'js', 'html'],
            testMatch: ['<rootDir>/force-app/**/__tests__/**/*.test.{ts,js}'],
            moduleNameMapper: {
                '^lightning/(navigation|messageService|platformUtilityBarApi|platformShowToastEvent|uiRecordApi|refresh)$':
                    '<rootDir>/force-app/test/jest-mocks/lightning/$1',
                '^lightning/(platformResourceLoader|pageReferenceUtils)$':
                    '<rootDir>/force-app/test/jest-mocks/lightning/$1',
                '^@salesforce/messageChannel/(.*)$': '<rootDir>/force-app/test/jest-mocks/messageChannel',
                '^@salesforce/resourceUrl/(.*)$': '<rootDir>/force-app/test/jest-mocks/resourceUrl',
                '^webphone-core$': '<rootDir>/phone-core/src/index.ts'
            },
            setupFilesAfterEnv: [
                ...(jestConfig.setupFilesAfterEnv || []),
                '<rootDir>/force-app/test/jest-setup.js'
            ],
            testPathIgnorePatterns: ['<rootDir>/node_modules/', '<rootDir>/.sf/', '<rootDir>/build/']
        },
        {
            displayName: 'phone-core',
            testEnvironment: 'node',
            rootDir: __dirname,
            testMatch: ['<rootDir>/phone-core/test/**/*.test.ts', '<rootDir>/scripts/test/**/*.test.ts'],
            moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
            // sip.js ships ES modules only: let Babel transform it too
            transformIgnorePatterns: ['/node_modules/(?!sip\\.js/)'],
            transform: NODE_TYPESCRIPT
        },
        {
            displayName: 'voice-connector',
            testEnvironment: 'node',
            rootDir: __dirname,
            testMatch: ['<rootDir>/voice-connector/test/**/*.test.ts'],
            moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
            transformIgnorePatterns: ['/node_modules/(?!sip\\.js/)'],
            transform: NODE_TYPESCRIPT
        },
        // the local contact centre (simulator/): its own config, node environment
        '<rootDir>/simulator/jest.config.js'
    ]
};
