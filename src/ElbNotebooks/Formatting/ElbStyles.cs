namespace ElbNotebooks.Formatting;

/// <summary>The stylesheet every view shares; every class carries the <c>elb-</c> prefix.</summary>
internal static class ElbStyles
{
    public const string Css =
        ".elb-view{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.4}" +
        ".elb-view .elb-title{font-weight:600;margin:2px 0 4px}" +
        ".elb-view .elb-muted{opacity:.65}" +
        ".elb-view .elb-null{opacity:.5;font-style:italic}" +
        ".elb-view .elb-bad{color:#c0392b;font-weight:600}" +
        ".elb-view .elb-warn{color:#b9770e;font-weight:600}" +
        ".elb-view .elb-good{color:#1e8449}" +
        ".elb-view .elb-scroll{overflow-x:auto;max-width:100%}" +
        ".elb-view table.elb-table{border-collapse:collapse;margin:2px 0 6px}" +
        ".elb-view .elb-table th,.elb-view .elb-table td{padding:2px 8px;border-bottom:1px solid rgba(128,128,128,.3);text-align:left;vertical-align:top;white-space:nowrap}" +
        ".elb-view .elb-table th{font-weight:600}" +
        ".elb-view .elb-table th .elb-type{display:block;font-weight:normal;font-size:11px;opacity:.6}" +
        ".elb-view .elb-table td.elb-num{text-align:right;font-variant-numeric:tabular-nums}" +
        ".elb-view .elb-nowrap{white-space:nowrap}" +
        ".elb-view dl.elb-facts{display:grid;grid-template-columns:max-content auto;gap:1px 12px;margin:2px 0 6px}" +
        ".elb-view dl.elb-facts dt{opacity:.7}.elb-view dl.elb-facts dd{margin:0}";
}
