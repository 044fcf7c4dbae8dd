// Why: the Database methods that take a System.AccessLevel, and the *WithBinds queries (API 57), are newer than
// apexlink 2.3.7's snapshot (API 55). The snapshot's own methods are kept (the marker below); only the newer
// overloads are declared here, each as the Apex Reference Guide's "Database Class" (apex_methods_system_database.htm)
// lists it. Return types follow the snapshot's older overloads (a query returns Internal.RecordSet$, which is
// what lets Apex assign a query to one SObject or to a List).
package com.nawforce.runforce.System;

import com.nawforce.runforce.Database.DMLOptions;
import com.nawforce.runforce.Database.DeleteResult;
import com.nawforce.runforce.Database.LeadConvert;
import com.nawforce.runforce.Database.LeadConvertResult;
import com.nawforce.runforce.Database.QueryLocator;
import com.nawforce.runforce.Database.SaveResult;
import com.nawforce.runforce.Database.UndeleteResult;
import com.nawforce.runforce.Database.UpsertResult;
import com.nawforce.runforce.Internal.RecordSet$;
import com.nawforce.runforce.Schema.SObjectField;

public class Database {
// @original-methods

    public static RecordSet$<SObject> query(String queryString, AccessLevel accessLevel) { throw null; }
    public static RecordSet$<SObject> queryWithBinds(String queryString, Map<String, Object> bindMap, AccessLevel accessLevel) { throw null; }
    public static Integer countQuery(String query, AccessLevel accessLevel) { throw null; }
    public static Integer countQueryWithBinds(String query, Map<String, Object> bindMap, AccessLevel accessLevel) { throw null; }
    public static QueryLocator getQueryLocator(String query, AccessLevel accessLevel) { throw null; }
    public static QueryLocator getQueryLocatorWithBinds(String query, Map<String, Object> bindMap, AccessLevel accessLevel) { throw null; }

    public static SaveResult insert(SObject recordToInsert, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<SaveResult> insert(List<SObject> recordsToInsert, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static SaveResult insert(SObject recordToInsert, DMLOptions dmlOptions, AccessLevel accessLevel) { throw null; }
    public static List<SaveResult> insert(List<SObject> recordsToInsert, DMLOptions dmlOptions, AccessLevel accessLevel) { throw null; }

    public static SaveResult update(SObject recordToUpdate, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<SaveResult> update(List<SObject> recordsToUpdate, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static SaveResult update(SObject recordToUpdate, DMLOptions dmlOptions, AccessLevel accessLevel) { throw null; }
    public static List<SaveResult> update(List<SObject> recordsToUpdate, DMLOptions dmlOptions, AccessLevel accessLevel) { throw null; }

    public static UpsertResult upsert(SObject recordToUpsert, SObjectField externalIdField, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<UpsertResult> upsert(List<SObject> recordsToUpsert, SObjectField externalIdField, Boolean allOrNone, AccessLevel accessLevel) { throw null; }

    public static DeleteResult delete(SObject recordToDelete, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static DeleteResult delete(Id recordId, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<DeleteResult> delete(List<Object> recordsOrIds, Boolean allOrNone, AccessLevel accessLevel) { throw null; }

    public static UndeleteResult undelete(SObject recordToUndelete, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static UndeleteResult undelete(Id recordId, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<UndeleteResult> undelete(List<Object> recordsOrIds, Boolean allOrNone, AccessLevel accessLevel) { throw null; }

    public static LeadConvertResult convertLead(LeadConvert leadToConvert, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
    public static List<LeadConvertResult> convertLead(List<LeadConvert> leadsToConvert, Boolean allOrNone, AccessLevel accessLevel) { throw null; }
}
