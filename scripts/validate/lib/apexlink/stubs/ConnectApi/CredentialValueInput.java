// Why: ConnectApi.NamedCredentials and its types (API 56-58) are newer than apexlink 2.3.7's snapshot (API 55).
// Signatures: Apex Reference Guide, "NamedCredentials Class" (apex_ConnectAPI_NamedCredentials_static_methods.htm)
// and the ConnectApi input/output classes it names; only the members the package uses are declared.
package com.nawforce.runforce.ConnectApi;

import com.nawforce.runforce.System.Boolean;
import com.nawforce.runforce.System.List;
import com.nawforce.runforce.System.Map;
import com.nawforce.runforce.System.String;

public class CredentialValueInput {
    public Boolean encrypted;
    public String value;
}
