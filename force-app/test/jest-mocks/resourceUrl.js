/** Jest mock of `@salesforce/resourceUrl/*`. */
export default '/resource/webphoneCore';
