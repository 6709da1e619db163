export namespace catalog {
	
	export class Option {
	    value: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new Option(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	    }
	}
	export class Field {
	    key: string;
	    label: string;
	    type: string;
	    secret: boolean;
	    required: boolean;
	    default?: string;
	    placeholder?: string;
	    help?: string;
	    options?: Option[];
	    pattern?: string;
	    patternMessage?: string;
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.label = source["label"];
	        this.type = source["type"];
	        this.secret = source["secret"];
	        this.required = source["required"];
	        this.default = source["default"];
	        this.placeholder = source["placeholder"];
	        this.help = source["help"];
	        this.options = this.convertValues(source["options"], Option);
	        this.pattern = source["pattern"];
	        this.patternMessage = source["patternMessage"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Accounts {
	    method?: string;
	    baseUrl?: string;
	    path: string;
	    headers?: Record<string, string>;
	    items: string;
	    label?: string;
	    field: Field;
	
	    static createFrom(source: any = {}) {
	        return new Accounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.baseUrl = source["baseUrl"];
	        this.path = source["path"];
	        this.headers = source["headers"];
	        this.items = source["items"];
	        this.label = source["label"];
	        this.field = this.convertValues(source["field"], Field);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TokenRequest {
	    method?: string;
	    path?: string;
	    params?: string;
	    headers?: string;
	    bodyType?: string;
	    body?: string;
	    tokenExpression?: string;
	    expiryExpression?: string;
	
	    static createFrom(source: any = {}) {
	        return new TokenRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.path = source["path"];
	        this.params = source["params"];
	        this.headers = source["headers"];
	        this.bodyType = source["bodyType"];
	        this.body = source["body"];
	        this.tokenExpression = source["tokenExpression"];
	        this.expiryExpression = source["expiryExpression"];
	    }
	}
	export class OAuth1 {
	    signatureMethod?: string;
	    realm?: string;
	
	    static createFrom(source: any = {}) {
	        return new OAuth1(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.signatureMethod = source["signatureMethod"];
	        this.realm = source["realm"];
	    }
	}
	export class OAuth {
	    authorizationUrl?: string;
	    tokenUrl?: string;
	    issuer?: string;
	    scopes?: string[];
	    scopeSeparator?: string;
	    authParams?: Record<string, string>;
	    clientAuth?: string;
	    audienceParam?: string;
	    baseUrlFromToken?: string;
	    redirectHost?: string;
	    redirectPort?: number;
	    redirectPath?: string;
	
	    static createFrom(source: any = {}) {
	        return new OAuth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.authorizationUrl = source["authorizationUrl"];
	        this.tokenUrl = source["tokenUrl"];
	        this.issuer = source["issuer"];
	        this.scopes = source["scopes"];
	        this.scopeSeparator = source["scopeSeparator"];
	        this.authParams = source["authParams"];
	        this.clientAuth = source["clientAuth"];
	        this.audienceParam = source["audienceParam"];
	        this.baseUrlFromToken = source["baseUrlFromToken"];
	        this.redirectHost = source["redirectHost"];
	        this.redirectPort = source["redirectPort"];
	        this.redirectPath = source["redirectPath"];
	    }
	}
	export class FieldOverride {
	    label?: string;
	    help?: string;
	    placeholder?: string;
	    pattern?: string;
	    patternMessage?: string;
	    required?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new FieldOverride(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.label = source["label"];
	        this.help = source["help"];
	        this.placeholder = source["placeholder"];
	        this.pattern = source["pattern"];
	        this.patternMessage = source["patternMessage"];
	        this.required = source["required"];
	    }
	}
	export class AuthMethod {
	    type: string;
	    label?: string;
	    in?: string;
	    name?: string;
	    header?: string;
	    prefix?: string;
	    configurable?: boolean;
	    fieldOverrides?: Record<string, FieldOverride>;
	    oauth?: OAuth;
	    oauth1?: OAuth1;
	    tokenRequest?: TokenRequest;
	    fields: Field[];
	
	    static createFrom(source: any = {}) {
	        return new AuthMethod(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.label = source["label"];
	        this.in = source["in"];
	        this.name = source["name"];
	        this.header = source["header"];
	        this.prefix = source["prefix"];
	        this.configurable = source["configurable"];
	        this.fieldOverrides = this.convertValues(source["fieldOverrides"], FieldOverride, true);
	        this.oauth = this.convertValues(source["oauth"], OAuth);
	        this.oauth1 = this.convertValues(source["oauth1"], OAuth1);
	        this.tokenRequest = this.convertValues(source["tokenRequest"], TokenRequest);
	        this.fields = this.convertValues(source["fields"], Field);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Sample {
	    path: string;
	    headers?: Record<string, string>;
	    record?: string;
	    label?: string;
	
	    static createFrom(source: any = {}) {
	        return new Sample(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.headers = source["headers"];
	        this.record = source["record"];
	        this.label = source["label"];
	    }
	}
	export class Database {
	    engine: string;
	    port?: number;
	    sslMode?: string;
	    urlSchemes: string[];
	    urlExample: string;
	    file: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Database(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.engine = source["engine"];
	        this.port = source["port"];
	        this.sslMode = source["sslMode"];
	        this.urlSchemes = source["urlSchemes"];
	        this.urlExample = source["urlExample"];
	        this.file = source["file"];
	    }
	}
	export class Rule {
	    kind: string;
	    status?: number[];
	    contentTypes?: string[];
	    path?: string;
	    equals?: any;
	    message: string;
	    outcome?: string;
	
	    static createFrom(source: any = {}) {
	        return new Rule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.status = source["status"];
	        this.contentTypes = source["contentTypes"];
	        this.path = source["path"];
	        this.equals = source["equals"];
	        this.message = source["message"];
	        this.outcome = source["outcome"];
	    }
	}
	export class TestRequest {
	    method: string;
	    path: string;
	    headers?: Record<string, string>;
	    rules?: Rule[];
	    failures?: Record<string, string>;
	    identity?: string;
	
	    static createFrom(source: any = {}) {
	        return new TestRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.path = source["path"];
	        this.headers = source["headers"];
	        this.rules = this.convertValues(source["rules"], Rule);
	        this.failures = source["failures"];
	        this.identity = source["identity"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Connector {
	    id: string;
	    name: string;
	    category: string;
	    description: string;
	    logo: string;
	    logoColor?: string;
	    docsUrl: string;
	    baseUrl: string;
	    fields: Field[];
	    auth: AuthMethod[];
	    advanced: Field[];
	    kind: string;
	    test: TestRequest;
	    database?: Database;
	    accounts?: Accounts;
	    sample?: Sample;
	    setup: string[];
	    builtin: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Connector(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.category = source["category"];
	        this.description = source["description"];
	        this.logo = source["logo"];
	        this.logoColor = source["logoColor"];
	        this.docsUrl = source["docsUrl"];
	        this.baseUrl = source["baseUrl"];
	        this.fields = this.convertValues(source["fields"], Field);
	        this.auth = this.convertValues(source["auth"], AuthMethod);
	        this.advanced = this.convertValues(source["advanced"], Field);
	        this.kind = source["kind"];
	        this.test = this.convertValues(source["test"], TestRequest);
	        this.database = this.convertValues(source["database"], Database);
	        this.accounts = this.convertValues(source["accounts"], Accounts);
	        this.sample = this.convertValues(source["sample"], Sample);
	        this.setup = source["setup"];
	        this.builtin = source["builtin"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	
	
	
	

}

export namespace connections {
	
	export class Draft {
	    id: string;
	    draftKey: string;
	    connectorId: string;
	    name: string;
	    environment: string;
	    authType: string;
	    baseUrl: string;
	    settings: Record<string, string>;
	    secrets: Record<string, string>;
	    clearSecrets: string[];
	    timeoutSeconds: number;
	    userSecrets: Record<string, string>;
	    parameters: Record<string, string>;
	    rememberParameters: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Draft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.draftKey = source["draftKey"];
	        this.connectorId = source["connectorId"];
	        this.name = source["name"];
	        this.environment = source["environment"];
	        this.authType = source["authType"];
	        this.baseUrl = source["baseUrl"];
	        this.settings = source["settings"];
	        this.secrets = source["secrets"];
	        this.clearSecrets = source["clearSecrets"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	        this.userSecrets = source["userSecrets"];
	        this.parameters = source["parameters"];
	        this.rememberParameters = source["rememberParameters"];
	    }
	}

}

export namespace connlog {
	
	export class Cert {
	    subject: string;
	    issuer: string;
	    dnsNames: string[];
	    ipAddresses: string[];
	    notBefore: string;
	    notAfter: string;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new Cert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.issuer = source["issuer"];
	        this.dnsNames = source["dnsNames"];
	        this.ipAddresses = source["ipAddresses"];
	        this.notBefore = source["notBefore"];
	        this.notAfter = source["notAfter"];
	        this.sha256 = source["sha256"];
	    }
	}
	export class Chunk {
	    offsetMs: number;
	    size: number;
	    data: string;
	
	    static createFrom(source: any = {}) {
	        return new Chunk(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offsetMs = source["offsetMs"];
	        this.size = source["size"];
	        this.data = source["data"];
	    }
	}
	export class Step {
	    name: string;
	    status: string;
	    startMs: number;
	    durationMs: number;
	    sql?: string;
	    detail?: string;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Step(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.status = source["status"];
	        this.startMs = source["startMs"];
	        this.durationMs = source["durationMs"];
	        this.sql = source["sql"];
	        this.detail = source["detail"];
	        this.error = source["error"];
	    }
	}
	export class Database {
	    engine: string;
	    host: string;
	    port: number;
	    database: string;
	    user: string;
	    path?: string;
	    sslMode?: string;
	    params?: string;
	    checkObject?: string;
	    serverVersion?: string;
	    currentUser?: string;
	    steps: Step[];
	    errorCode?: string;
	    errorMessage?: string;
	
	    static createFrom(source: any = {}) {
	        return new Database(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.engine = source["engine"];
	        this.host = source["host"];
	        this.port = source["port"];
	        this.database = source["database"];
	        this.user = source["user"];
	        this.path = source["path"];
	        this.sslMode = source["sslMode"];
	        this.params = source["params"];
	        this.checkObject = source["checkObject"];
	        this.serverVersion = source["serverVersion"];
	        this.currentUser = source["currentUser"];
	        this.steps = this.convertValues(source["steps"], Step);
	        this.errorCode = source["errorCode"];
	        this.errorMessage = source["errorMessage"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TLSInfo {
	    version: string;
	    cipherSuite: string;
	    alpn: string;
	    serverName: string;
	    peerCertificates: Cert[];
	    verifyError: string;
	
	    static createFrom(source: any = {}) {
	        return new TLSInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.cipherSuite = source["cipherSuite"];
	        this.alpn = source["alpn"];
	        this.serverName = source["serverName"];
	        this.peerCertificates = this.convertValues(source["peerCertificates"], Cert);
	        this.verifyError = source["verifyError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Timings {
	    dnsMs: number;
	    connectMs: number;
	    tlsMs: number;
	    wroteMs: number;
	    firstByteMs: number;
	    downloadMs: number;
	    totalMs: number;
	
	    static createFrom(source: any = {}) {
	        return new Timings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dnsMs = source["dnsMs"];
	        this.connectMs = source["connectMs"];
	        this.tlsMs = source["tlsMs"];
	        this.wroteMs = source["wroteMs"];
	        this.firstByteMs = source["firstByteMs"];
	        this.downloadMs = source["downloadMs"];
	        this.totalMs = source["totalMs"];
	    }
	}
	export class Header {
	    name: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new Header(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	    }
	}
	export class Exchange {
	    id: string;
	    runId: string;
	    connectionId: string;
	    workspaceId: string;
	    kind: string;
	    startedAt: string;
	    method: string;
	    url: string;
	    requestHeaders: Header[];
	    requestBody: string;
	    requestBodySize: number;
	    requestTruncated: boolean;
	    requestBinary: boolean;
	    status: number;
	    statusText: string;
	    proto: string;
	    responseHeaders: Header[];
	    responseBody: string;
	    responseBodySize: number;
	    responseTruncated: boolean;
	    responseBinary: boolean;
	    responseDecompressed: boolean;
	    contentType: string;
	    timings: Timings;
	    remoteAddr: string;
	    reused: boolean;
	    tls?: TLSInfo;
	    chunks?: Chunk[];
	    chunksTruncated?: boolean;
	    database?: Database;
	    redirectOf: string;
	    withheld?: origin.Withheld;
	    errorClass: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new Exchange(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.runId = source["runId"];
	        this.connectionId = source["connectionId"];
	        this.workspaceId = source["workspaceId"];
	        this.kind = source["kind"];
	        this.startedAt = source["startedAt"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.requestHeaders = this.convertValues(source["requestHeaders"], Header);
	        this.requestBody = source["requestBody"];
	        this.requestBodySize = source["requestBodySize"];
	        this.requestTruncated = source["requestTruncated"];
	        this.requestBinary = source["requestBinary"];
	        this.status = source["status"];
	        this.statusText = source["statusText"];
	        this.proto = source["proto"];
	        this.responseHeaders = this.convertValues(source["responseHeaders"], Header);
	        this.responseBody = source["responseBody"];
	        this.responseBodySize = source["responseBodySize"];
	        this.responseTruncated = source["responseTruncated"];
	        this.responseBinary = source["responseBinary"];
	        this.responseDecompressed = source["responseDecompressed"];
	        this.contentType = source["contentType"];
	        this.timings = this.convertValues(source["timings"], Timings);
	        this.remoteAddr = source["remoteAddr"];
	        this.reused = source["reused"];
	        this.tls = this.convertValues(source["tls"], TLSInfo);
	        this.chunks = this.convertValues(source["chunks"], Chunk);
	        this.chunksTruncated = source["chunksTruncated"];
	        this.database = this.convertValues(source["database"], Database);
	        this.redirectOf = source["redirectOf"];
	        this.withheld = this.convertValues(source["withheld"], origin.Withheld);
	        this.errorClass = source["errorClass"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Summary {
	    id: string;
	    runId: string;
	    connectionId: string;
	    kind: string;
	    method: string;
	    url: string;
	    host: string;
	    path: string;
	    status: number;
	    statusText: string;
	    errorClass: string;
	    error: string;
	    startedAt: string;
	    totalMs: number;
	    responseBodySize: number;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.runId = source["runId"];
	        this.connectionId = source["connectionId"];
	        this.kind = source["kind"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.host = source["host"];
	        this.path = source["path"];
	        this.status = source["status"];
	        this.statusText = source["statusText"];
	        this.errorClass = source["errorClass"];
	        this.error = source["error"];
	        this.startedAt = source["startedAt"];
	        this.totalMs = source["totalMs"];
	        this.responseBodySize = source["responseBodySize"];
	    }
	}
	

}

export namespace origin {
	
	export class Withheld {
	    headers: string[];
	    params: string[];
	
	    static createFrom(source: any = {}) {
	        return new Withheld(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.headers = source["headers"];
	        this.params = source["params"];
	    }
	}

}

export namespace services {
	
	export class AccountDTO {
	    id: string;
	    name: string;
	
	    static createFrom(source: any = {}) {
	        return new AccountDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	    }
	}
	export class AppInfoDTO {
	    version: string;
	    dataDir: string;
	    databasePath: string;
	    logPath: string;
	    workspaceId: string;
	    workspaceName: string;
	    catalogWarnings: string[];
	
	    static createFrom(source: any = {}) {
	        return new AppInfoDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.dataDir = source["dataDir"];
	        this.databasePath = source["databasePath"];
	        this.logPath = source["logPath"];
	        this.workspaceId = source["workspaceId"];
	        this.workspaceName = source["workspaceName"];
	        this.catalogWarnings = source["catalogWarnings"];
	    }
	}
	export class VerificationDTO {
	    runId: string;
	    status: string;
	    code: string;
	    summary: string;
	    advice: string;
	    field?: string;
	    identity: string;
	    httpStatus: number;
	    durationMs: number;
	    checkedAt: string;
	    exchanges: connlog.Exchange[];
	    serverVersion?: string;
	
	    static createFrom(source: any = {}) {
	        return new VerificationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.status = source["status"];
	        this.code = source["code"];
	        this.summary = source["summary"];
	        this.advice = source["advice"];
	        this.field = source["field"];
	        this.identity = source["identity"];
	        this.httpStatus = source["httpStatus"];
	        this.durationMs = source["durationMs"];
	        this.checkedAt = source["checkedAt"];
	        this.exchanges = this.convertValues(source["exchanges"], connlog.Exchange);
	        this.serverVersion = source["serverVersion"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IntegrationUseDTO {
	    integrationId: string;
	    name: string;
	    role: string;
	    active: boolean;
	
	    static createFrom(source: any = {}) {
	        return new IntegrationUseDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.integrationId = source["integrationId"];
	        this.name = source["name"];
	        this.role = source["role"];
	        this.active = source["active"];
	    }
	}
	export class OAuthDTO {
	    authorized: boolean;
	    grantedScopes: string[];
	    expiresAt: string;
	    refreshable: boolean;
	    authorizedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new OAuthDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.authorized = source["authorized"];
	        this.grantedScopes = source["grantedScopes"];
	        this.expiresAt = source["expiresAt"];
	        this.refreshable = source["refreshable"];
	        this.authorizedAt = source["authorizedAt"];
	    }
	}
	export class ConnectionDTO {
	    id: string;
	    workspaceId: string;
	    connectorId: string;
	    name: string;
	    environment: string;
	    authType: string;
	    baseUrl: string;
	    settings: Record<string, string>;
	    secretFields: string[];
	    timeoutSeconds: number;
	    status: string;
	    diagnosis: string;
	    identity: string;
	    checkedAt: string;
	    allowInsecureHttp: boolean;
	    createdAt: string;
	    updatedAt: string;
	    oauth?: OAuthDTO;
	    userSecrets: string[];
	    parameters: Record<string, string>;
	    usedBy: IntegrationUseDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ConnectionDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.workspaceId = source["workspaceId"];
	        this.connectorId = source["connectorId"];
	        this.name = source["name"];
	        this.environment = source["environment"];
	        this.authType = source["authType"];
	        this.baseUrl = source["baseUrl"];
	        this.settings = source["settings"];
	        this.secretFields = source["secretFields"];
	        this.timeoutSeconds = source["timeoutSeconds"];
	        this.status = source["status"];
	        this.diagnosis = source["diagnosis"];
	        this.identity = source["identity"];
	        this.checkedAt = source["checkedAt"];
	        this.allowInsecureHttp = source["allowInsecureHttp"];
	        this.createdAt = source["createdAt"];
	        this.updatedAt = source["updatedAt"];
	        this.oauth = this.convertValues(source["oauth"], OAuthDTO);
	        this.userSecrets = source["userSecrets"];
	        this.parameters = source["parameters"];
	        this.usedBy = this.convertValues(source["usedBy"], IntegrationUseDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AuthorizationDTO {
	    saved: boolean;
	    connection?: ConnectionDTO;
	    verification?: VerificationDTO;
	    ignoredCallbacks: number;
	
	    static createFrom(source: any = {}) {
	        return new AuthorizationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.saved = source["saved"];
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.verification = this.convertValues(source["verification"], VerificationDTO);
	        this.ignoredCallbacks = source["ignoredCallbacks"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TestAllProgressEvent {
	    batchId: string;
	    done: number;
	    total: number;
	    connection: ConnectionDTO;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new TestAllProgressEvent(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.batchId = source["batchId"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BatchResultDTO {
	    total: number;
	    byStatus: Record<string, number>;
	    failed: TestAllProgressEvent[];
	    canceled: number;
	
	    static createFrom(source: any = {}) {
	        return new BatchResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.byStatus = source["byStatus"];
	        this.failed = this.convertValues(source["failed"], TestAllProgressEvent);
	        this.canceled = source["canceled"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CertInfoDTO {
	    subject: string;
	    issuer: string;
	    dnsNames: string[];
	    ipAddresses: string[];
	    notBefore: string;
	    notAfter: string;
	    isCa: boolean;
	    selfSigned: boolean;
	    expired: boolean;
	    notYetValid: boolean;
	    sha256: string;
	
	    static createFrom(source: any = {}) {
	        return new CertInfoDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.subject = source["subject"];
	        this.issuer = source["issuer"];
	        this.dnsNames = source["dnsNames"];
	        this.ipAddresses = source["ipAddresses"];
	        this.notBefore = source["notBefore"];
	        this.notAfter = source["notAfter"];
	        this.isCa = source["isCa"];
	        this.selfSigned = source["selfSigned"];
	        this.expired = source["expired"];
	        this.notYetValid = source["notYetValid"];
	        this.sha256 = source["sha256"];
	    }
	}
	
	export class ConnectionSummaryDTO {
	    id: string;
	    connectorId: string;
	    name: string;
	    environment: string;
	    authType: string;
	    baseUrl: string;
	    status: string;
	    diagnosis: string;
	    identity: string;
	    checkedAt: string;
	    allowInsecureHttp: boolean;
	    oauth?: OAuthDTO;
	    usedBy: IntegrationUseDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ConnectionSummaryDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.connectorId = source["connectorId"];
	        this.name = source["name"];
	        this.environment = source["environment"];
	        this.authType = source["authType"];
	        this.baseUrl = source["baseUrl"];
	        this.status = source["status"];
	        this.diagnosis = source["diagnosis"];
	        this.identity = source["identity"];
	        this.checkedAt = source["checkedAt"];
	        this.allowInsecureHttp = source["allowInsecureHttp"];
	        this.oauth = this.convertValues(source["oauth"], OAuthDTO);
	        this.usedBy = this.convertValues(source["usedBy"], IntegrationUseDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConnectionPageDTO {
	    items: ConnectionSummaryDTO[];
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], ConnectionSummaryDTO);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ConnectorOverviewDTO {
	    connectorId: string;
	    total: number;
	    byStatus: Record<string, number>;
	    shown: ConnectionSummaryDTO;
	    chosen: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConnectorOverviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectorId = source["connectorId"];
	        this.total = source["total"];
	        this.byStatus = source["byStatus"];
	        this.shown = this.convertValues(source["shown"], ConnectionSummaryDTO);
	        this.chosen = source["chosen"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConnectionsOverviewDTO {
	    total: number;
	    connectors: ConnectorOverviewDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ConnectionsOverviewDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.connectors = this.convertValues(source["connectors"], ConnectorOverviewDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class DatabaseURLDTO {
	    settings: Record<string, string>;
	    password: string;
	    hasPassword: boolean;
	    ignored: string[];
	
	    static createFrom(source: any = {}) {
	        return new DatabaseURLDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = source["settings"];
	        this.password = source["password"];
	        this.hasPassword = source["hasPassword"];
	        this.ignored = source["ignored"];
	    }
	}
	export class DeletionDTO {
	    connectionId: string;
	    undoUntil: string;
	    undoSeconds: number;
	
	    static createFrom(source: any = {}) {
	        return new DeletionDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.undoUntil = source["undoUntil"];
	        this.undoSeconds = source["undoSeconds"];
	    }
	}
	export class LogFilterDTO {
	    connectionId: string;
	    runId: string;
	    statusClasses: string[];
	    kinds: string[];
	    from: string;
	    to: string;
	    query: string;
	    cursor: string;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new LogFilterDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectionId = source["connectionId"];
	        this.runId = source["runId"];
	        this.statusClasses = source["statusClasses"];
	        this.kinds = source["kinds"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.query = source["query"];
	        this.cursor = source["cursor"];
	        this.limit = source["limit"];
	    }
	}
	export class HARScope {
	    exchangeId: string;
	    runId: string;
	    filter?: LogFilterDTO;
	
	    static createFrom(source: any = {}) {
	        return new HARScope(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.exchangeId = source["exchangeId"];
	        this.runId = source["runId"];
	        this.filter = this.convertValues(source["filter"], LogFilterDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportStepDTO {
	    action: string;
	    what: string;
	    name: string;
	    environment: string;
	    needs: string[];
	    note: string;
	
	    static createFrom(source: any = {}) {
	        return new ImportStepDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.what = source["what"];
	        this.name = source["name"];
	        this.environment = source["environment"];
	        this.needs = source["needs"];
	        this.note = source["note"];
	    }
	}
	export class ImportPlanDTO {
	    path: string;
	    steps: ImportStepDTO[];
	
	    static createFrom(source: any = {}) {
	        return new ImportPlanDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.steps = this.convertValues(source["steps"], ImportStepDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class SideDTO {
	    role: string;
	    connectorId: string;
	    connectorName: string;
	    connection?: ConnectionDTO;
	    problem: string;
	
	    static createFrom(source: any = {}) {
	        return new SideDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.connectorId = source["connectorId"];
	        this.connectorName = source["connectorName"];
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.problem = source["problem"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IntegrationDTO {
	    id: string;
	    workspaceId: string;
	    name: string;
	    description: string;
	    active: boolean;
	    readiness: string;
	    summary: string;
	    sides: SideDTO[];
	    updatedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new IntegrationDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.workspaceId = source["workspaceId"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.active = source["active"];
	        this.readiness = source["readiness"];
	        this.summary = source["summary"];
	        this.sides = this.convertValues(source["sides"], SideDTO);
	        this.updatedAt = source["updatedAt"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SideDraftDTO {
	    connectorId: string;
	    connectionId: string;
	
	    static createFrom(source: any = {}) {
	        return new SideDraftDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.connectorId = source["connectorId"];
	        this.connectionId = source["connectionId"];
	    }
	}
	export class IntegrationDraftDTO {
	    id: string;
	    name: string;
	    description: string;
	    active: boolean;
	    source: SideDraftDTO;
	    destination: SideDraftDTO;
	
	    static createFrom(source: any = {}) {
	        return new IntegrationDraftDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.active = source["active"];
	        this.source = this.convertValues(source["source"], SideDraftDTO);
	        this.destination = this.convertValues(source["destination"], SideDraftDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SideTestDTO {
	    role: string;
	    verification?: VerificationDTO;
	    error: string;
	    errorCode: string;
	
	    static createFrom(source: any = {}) {
	        return new SideTestDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.role = source["role"];
	        this.verification = this.convertValues(source["verification"], VerificationDTO);
	        this.error = source["error"];
	        this.errorCode = source["errorCode"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IntegrationTestDTO {
	    sides: SideTestDTO[];
	    integration: IntegrationDTO;
	
	    static createFrom(source: any = {}) {
	        return new IntegrationTestDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sides = this.convertValues(source["sides"], SideTestDTO);
	        this.integration = this.convertValues(source["integration"], IntegrationDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class KeychainDTO {
	    ok: boolean;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new KeychainDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.message = source["message"];
	    }
	}
	export class LiteralFindingDTO {
	    field: string;
	    fieldLabel: string;
	    line: number;
	    name: string;
	    reason: string;
	    secretName: string;
	    reused: boolean;
	    inJsonString: boolean;
	    replacement: string;
	
	    static createFrom(source: any = {}) {
	        return new LiteralFindingDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.field = source["field"];
	        this.fieldLabel = source["fieldLabel"];
	        this.line = source["line"];
	        this.name = source["name"];
	        this.reason = source["reason"];
	        this.secretName = source["secretName"];
	        this.reused = source["reused"];
	        this.inJsonString = source["inJsonString"];
	        this.replacement = source["replacement"];
	    }
	}
	
	export class LogPageDTO {
	    items: connlog.Summary[];
	    next: string;
	
	    static createFrom(source: any = {}) {
	        return new LogPageDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], connlog.Summary);
	        this.next = source["next"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class LogSettingsDTO {
	    runsPerConnection: number;
	    maxBytes: number;
	
	    static createFrom(source: any = {}) {
	        return new LogSettingsDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runsPerConnection = source["runsPerConnection"];
	        this.maxBytes = source["maxBytes"];
	    }
	}
	
	export class SampleDTO {
	    verification: VerificationDTO;
	    record: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new SampleDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.verification = this.convertValues(source["verification"], VerificationDTO);
	        this.record = source["record"];
	        this.label = source["label"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SaveResultDTO {
	    saved: boolean;
	    connection?: ConnectionDTO;
	    verification?: VerificationDTO;
	
	    static createFrom(source: any = {}) {
	        return new SaveResultDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.saved = source["saved"];
	        this.connection = this.convertValues(source["connection"], ConnectionDTO);
	        this.verification = this.convertValues(source["verification"], VerificationDTO);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	export class WorkspaceDTO {
	    id: string;
	    name: string;
	    connections: number;
	    integrations: number;
	    current: boolean;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceDTO(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.connections = source["connections"];
	        this.integrations = source["integrations"];
	        this.current = source["current"];
	    }
	}

}

