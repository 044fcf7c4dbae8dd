/* global jest */
/**
 * Jest mock of `lightning/navigation`: records every Navigate call so tests can assert the page reference
 * (sfdx-lwc-jest's own stub drops it). `CurrentPageReference` is a test wire adapter: `emit()` a page.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');
let navigations = [];

export const NavigationMixin = (Base) =>
    class extends Base {
        [Navigate](pageReference, replace) {
            navigations.push({ pageReference, replace });
        }
        [GenerateUrl](pageReference) {
            return Promise.resolve(`https://example.test/${pageReference?.type ?? 'page'}`);
        }
    };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** The last navigation: `{ pageReference, replace }` (both undefined when nothing navigated). */
export const getNavigateCalledWith = () =>
    navigations[navigations.length - 1] ?? { pageReference: undefined, replace: undefined };

/** Every navigation since the last reset, oldest first. */
export const getNavigations = () => [...navigations];

/** Forget the recorded navigations (call in afterEach). */
export const resetNavigations = () => {
    navigations = [];
};
