/**
 * Runs after the test framework in the `lwc` Jest project: registers the sa11y accessibility matcher
 * (`await expect(element).toBeAccessible()`).
 */
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
