'use strict';
/**
 * Jest for the simulator on its own: `npx jest -c simulator/jest.config.js`.
 * The same project block belongs in the root jest.config.js `projects` (see simulator/README.md).
 */
const path = require('node:path');

module.exports = {
    displayName: 'simulator',
    rootDir: path.resolve(__dirname, '..'),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/simulator/test/**/*.test.ts', '<rootDir>/simulator/src/sip/test/**/*.test.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    transform: {
        '^.+\\.ts$': [
            'babel-jest',
            { presets: [['@babel/preset-env', { targets: { node: 'current' } }], '@babel/preset-typescript'] }
        ]
    }
};
