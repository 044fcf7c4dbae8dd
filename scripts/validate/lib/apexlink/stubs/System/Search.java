// Why: Search.query(query, accessLevel) - dynamic SOSL in user mode - is newer than apexlink 2.3.7's snapshot
// (API 55). The snapshot's own methods are kept (the marker below); the overload is declared as the Apex
// Reference Guide's "Search Class" (apex-methods-system-search) lists it.
package com.nawforce.runforce.System;

public class Search {
// @original-methods

    public static List<List<SObject>> query(String query, AccessLevel accessLevel) { throw null; }
}
