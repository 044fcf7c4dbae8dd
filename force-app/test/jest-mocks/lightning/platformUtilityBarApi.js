/* global jest */
/**
 * Jest mock of `lightning/platformUtilityBarApi` (sfdx-lwc-jest has none). Every method resolves; the
 * enclosing utility id is 'utility-1' unless a test changes `getEnclosingUtilityId`.
 */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const UTILITY_ID = 'utility-1';
export const EnclosingUtilityId = createTestWireAdapter(jest.fn());
export const getEnclosingUtilityId = jest.fn(() => Promise.resolve(UTILITY_ID));
export const getAllUtilityInfo = jest.fn(() => Promise.resolve([]));
export const getUtilityInfo = jest.fn(() => Promise.resolve({ id: UTILITY_ID, isPoppedOut: false }));
export const open = jest.fn(() => Promise.resolve(true));
export const minimize = jest.fn(() => Promise.resolve(true));
export const setUtilityLabel = jest.fn(() => Promise.resolve(true));
export const setUtilityHighlighted = jest.fn(() => Promise.resolve(true));
export const setUtilityIcon = jest.fn(() => Promise.resolve(true));
export const setPanelHeaderLabel = jest.fn(() => Promise.resolve(true));
export const setPanelHeaderIcon = jest.fn(() => Promise.resolve(true));
export const onUtilityClick = jest.fn(() => Promise.resolve(true));
export const disableUtilityPopOut = jest.fn(() => Promise.resolve(true));
