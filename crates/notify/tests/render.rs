//! Every channel's rendering of every notification kind, as snapshots.

mod common;

use gatehouse_notify::render;

#[test]
fn slack() {
    for (name, n) in common::all() {
        insta::assert_json_snapshot!(format!("slack__{name}"), render::slack(&n));
    }
}

#[test]
fn wecom() {
    for (name, n) in common::all() {
        insta::assert_json_snapshot!(format!("wecom__{name}"), render::wecom(&n));
    }
}

#[test]
fn dingtalk() {
    for (name, n) in common::all() {
        insta::assert_json_snapshot!(format!("dingtalk__{name}"), render::dingtalk(&n));
    }
}

#[test]
fn feishu() {
    for (name, n) in common::all() {
        insta::assert_json_snapshot!(format!("feishu__{name}"), render::feishu(&n));
    }
}

#[test]
fn webhook() {
    for (name, n) in common::all() {
        let body = render::webhook(&n);
        assert_eq!(body["version"], 1);
        insta::assert_json_snapshot!(format!("webhook__{name}"), body);
    }
}

#[test]
fn email() {
    for (name, n) in common::all() {
        let e = render::email(&n);
        insta::assert_snapshot!(
            format!("email__{name}"),
            format!(
                "Subject: {}\n\n----- text -----\n{}\n----- html -----\n{}",
                e.subject, e.text, e.html
            )
        );
    }
}

#[test]
fn slack_escapes_control_characters_only() {
    assert_eq!(
        render::escape_slack("a & b <!channel> *c*"),
        "a &amp; b &lt;!channel&gt; *c*"
    );
    // mrkdwn places are escaped; the header is plain_text, which Slack does not parse.
    let n = common::all().remove(3).1;
    let body = render::slack(&n);
    let text = body["text"].as_str().unwrap();
    let section = body["blocks"][1]["text"]["text"].as_str().unwrap();
    assert_eq!(body["blocks"][0]["text"]["type"], "plain_text");
    for mrkdwn in [text, section] {
        assert!(
            !mrkdwn.contains("<!channel>")
                && !mrkdwn.contains("<form>")
                && !mrkdwn.contains("<alice>"),
            "{mrkdwn}"
        );
    }
    assert!(section.contains("&lt;!channel&gt; &amp; @all"), "{section}");
}

#[test]
fn markdown_cannot_form_links_tags_or_headings() {
    assert_eq!(
        render::escape_markdown("*a* [b](c) <font> _d_ `e` # f"),
        "\\*a\\* \\[b\\](c) &lt;font&gt; \\_d\\_ \\`e\\` # f"
    );
    assert_eq!(
        render::escape_lark_md("*a* <at id=all>"),
        "&#42;a&#42; &lt;at id=all&gt;"
    );
    let wecom = render::wecom(&common::breached());
    let dingtalk = render::dingtalk(&common::breached());
    for markdown in [&wecom["markdown"]["content"], &dingtalk["markdown"]["text"]] {
        let text = markdown.as_str().unwrap();
        assert!(!text.contains("[search](javascript"), "{text}");
        assert!(
            !text.contains("\n# not"),
            "a newline in user text must not start a heading: {text}"
        );
        assert!(text.contains("\\[search\\](javascript:alert(1))"), "{text}");
    }
}

#[test]
fn links_are_encoded_for_markup() {
    let body = render::dingtalk(&common::breached()).to_string();
    assert!(
        body.contains("[Open ticket](https://gatehouse.example/tickets/42?tab=history%281%29)"),
        "{body}"
    );
}

#[test]
fn non_http_links_are_dropped() {
    let mut n = common::breached();
    n.link = Some("javascript:alert(1)".into());
    assert!(n.validate().is_err());
    let slack = render::slack(&n);
    assert_eq!(
        slack["blocks"].as_array().unwrap().len(),
        2,
        "no button without a valid link"
    );
    assert!(!slack["text"].as_str().unwrap().contains("|Open ticket>"));
    assert!(render::webhook(&n)["link"].is_null());
}

#[test]
fn validation() {
    let mut n = common::breached();
    assert_eq!(n.validate(), Ok(()));
    if let gatehouse_notify::Event::DeadlineBreached { ticket, .. } = &mut n.event {
        ticket.level = 4;
    }
    assert_eq!(
        n.validate(),
        Err(gatehouse_notify::NotificationError::Level(4))
    );
    let mut n = common::breached();
    if let gatehouse_notify::Event::DeadlineBreached { ticket, .. } = &mut n.event {
        ticket.remediation_deadline = Some("next tuesday".into());
    }
    assert!(n.validate().is_err());
}

#[test]
fn notification_round_trips_as_json() {
    for (_, n) in common::all() {
        let json = serde_json::to_string(&n).unwrap();
        let back: gatehouse_notify::Notification = serde_json::from_str(&json).unwrap();
        assert_eq!(back, n);
    }
}
