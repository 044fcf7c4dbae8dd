// Why: System.AccessLevel (API 57, user-mode database operations) is newer than apexlink 2.3.7's snapshot (API 55).
// Signatures: Apex Reference Guide, "AccessLevel Class" (apex_class_System_AccessLevel.htm).
package com.nawforce.runforce.System;

public class AccessLevel {
    public static final AccessLevel SYSTEM_MODE = null; // a declaration only: apexlink reads the type
    public static final AccessLevel USER_MODE = null;

    public AccessLevel withPermissionSetId(String permissionSetId) { throw null; }
}
