namespace ElbNotebooks.Reports;

/// <summary>
/// The report page's stylesheet, written after the shared <c>elb-</c> one: a readable column, light backgrounds only,
/// and print rules (charts scaled to the page width, tables and log lines kept whole).
/// </summary>
internal static class ReportStyles
{
    public const string Css =
        "html{background:#fff;color:#1b1b1b}body{margin:0}" +
        ".elb-report{max-width:1000px;margin:0 auto;padding:20px 28px 40px;font-size:14px;line-height:1.45}" +
        ".elb-report h1{font-size:24px;margin:0 0 4px}" +
        ".elb-report h2{font-size:18px;margin:28px 0 8px;padding-bottom:3px;border-bottom:2px solid #d0d4d9}" +
        ".elb-report h3{font-size:15px;margin:18px 0 6px}" +
        ".elb-report h4{font-size:13px;margin:12px 0 4px}" +
        ".elb-report p{margin:4px 0 8px}" +
        ".elb-report ul{margin:4px 0 8px;padding-left:22px}.elb-report li{margin:3px 0}" +
        ".elb-report .elb-report-subtitle{color:#555;margin-bottom:12px}" +
        ".elb-report .elb-report-answer{border-left:4px solid #c0392b;background:#fdf3f2;padding:8px 14px;margin:10px 0}" +
        ".elb-report .elb-report-answer.elb-report-clear{border-left-color:#1e8449;background:#f1f8f3}" +
        ".elb-report .elb-table{font-size:13px}" +
        ".elb-report .elb-table th,.elb-report .elb-table td{white-space:normal}.elb-report .elb-table td.elb-num{white-space:nowrap}" +
        ".elb-report .elb-table tr.elb-report-self td{background:#fdf3f2;font-weight:600}" +
        ".elb-report .elb-table td.elb-report-wrap{white-space:normal;min-width:16em}" +
        ".elb-report .elb-report-lines{margin:4px 0 10px}" +
        ".elb-report .elb-report-line{margin:0 0 6px;padding:4px 8px;background:#f6f8fa;border:1px solid #e1e4e8;border-radius:3px;" +
        "font-family:ui-monospace,'SFMono-Regular',Menlo,Consolas,monospace;font-size:11.5px;white-space:pre-wrap;overflow-wrap:anywhere}" +
        ".elb-report .elb-report-where{display:block;color:#555;font-weight:600;margin-bottom:2px}" +
        ".elb-report figure{margin:10px 0 22px}" +
        ".elb-report figcaption{font-size:12px;color:#555;margin-top:2px}" +
        ".elb-report .elb-report-chart{width:960px;max-width:100%;overflow-x:auto;overflow-y:hidden}" +
        ".elb-report dl.elb-facts{font-size:13px}" +
        "@media print{" +
        "@page{margin:12mm}" +
        ".elb-report{max-width:none;padding:0;font-size:12px}" +
        ".elb-report .elb-report-chart{zoom:.72;max-width:none;overflow:visible}" +
        ".elb-report .elb-scroll{overflow:visible}" +
        ".elb-report .modebar-container{display:none}" +
        ".elb-report .elb-table th,.elb-report .elb-table td{white-space:normal}" +
        ".elb-report table,.elb-report figure,.elb-report .elb-report-line,.elb-report .elb-report-answer,.elb-report dl{break-inside:avoid;page-break-inside:avoid}" +
        ".elb-report h2,.elb-report h3,.elb-report h4{break-after:avoid;page-break-after:avoid}" +
        ".elb-report .elb-report-answer,.elb-report .elb-table tr.elb-report-self td,.elb-report .elb-report-line{-webkit-print-color-adjust:exact;print-color-adjust:exact}" +
        "}";
}
