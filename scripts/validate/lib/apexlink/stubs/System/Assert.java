// Why: System.Assert (API 56) is newer than apexlink 2.3.7's platform snapshot (API 55).
// Signatures: Apex Reference Guide, "Assert Class" (apex_class_System_Assert.htm). Apex Object is java.lang.Object here.
package com.nawforce.runforce.System;

public class Assert {
    public static void areEqual(Object expected, Object actual) { throw null; }
    public static void areEqual(Object expected, Object actual, String msg) { throw null; }
    public static void areNotEqual(Object notExpected, Object actual) { throw null; }
    public static void areNotEqual(Object notExpected, Object actual, String msg) { throw null; }
    public static void fail() { throw null; }
    public static void fail(String msg) { throw null; }
    public static void isFalse(Boolean condition) { throw null; }
    public static void isFalse(Boolean condition, String msg) { throw null; }
    public static void isInstanceOfType(Object instance, Type expectedType) { throw null; }
    public static void isInstanceOfType(Object instance, Type expectedType, String msg) { throw null; }
    public static void isNotInstanceOfType(Object instance, Type notExpectedType) { throw null; }
    public static void isNotInstanceOfType(Object instance, Type notExpectedType, String msg) { throw null; }
    public static void isNotNull(Object value) { throw null; }
    public static void isNotNull(Object value, String msg) { throw null; }
    public static void isNull(Object value) { throw null; }
    public static void isNull(Object value, String msg) { throw null; }
    public static void isTrue(Boolean condition) { throw null; }
    public static void isTrue(Boolean condition, String msg) { throw null; }
}
