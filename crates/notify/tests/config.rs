//! Channel configuration: TOML and JSON forms, unknown keys, validation, and no credential in
//! `Debug` output.

use gatehouse_notify::{Channel, ConfigError, TlsMode};

fn toml(text: &str) -> Result<Channel, String> {
    ::toml::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn every_channel_reads_from_toml_and_round_trips_through_json() {
    let examples = [
        r#"type = "webhook"
url = "https://hooks.example.com/gatehouse"
secret = "whsec-0123456789"
headers = { Authorization = "Bearer abc123" }"#,
        r#"type = "slack"
url = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX""#,
        r#"type = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa""#,
        r#"type = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef"
secret = "SEC0123456789abcdef""#,
        r#"type = "feishu"
url = "https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07-bd07-265f269f86fd"
secret = "nIMtb7r3N9pkXyXdtAbx6e""#,
        r#"type = "email"
host = "smtp.example.com"
tls = "starttls"
username = "gatehouse"
password_env = "GATEHOUSE_SMTP_PASSWORD"
from = "Gatehouse <gatehouse@example.com>"
to = ["security@example.com"]"#,
    ];
    for example in examples {
        let channel = toml(example).unwrap();
        channel.validate().unwrap();
        let json = serde_json::to_string(&channel).unwrap();
        let back: Channel = serde_json::from_str(&json).unwrap();
        assert_eq!(back, channel);
    }
}

#[test]
fn unknown_keys_are_errors() {
    let err =
        toml("type = \"slack\"\nurl = \"https://hooks.slack.com/services/a\"\nchannel = \"#sec\"")
            .unwrap_err();
    assert!(err.contains("unknown field `channel`"), "{err}");
    let err = toml("type = \"teams\"\nurl = \"https://x.example\"").unwrap_err();
    assert!(err.contains("teams"), "{err}");
    let err = serde_json::from_str::<Channel>(
        r#"{"type":"email","host":"h","tls":"tls","from":"a@b.c","pasword":"x"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("unknown field `pasword`"), "{err}");
}

#[test]
fn bad_urls_are_refused_without_echoing_them() {
    let err =
        toml("type = \"wecom\"\nurl = \"ftp://qyapi.example/send?key=s3cr3t-key\"").unwrap_err();
    assert!(err.contains("http or https"), "{err}");
    assert!(!err.contains("s3cr3t-key"), "{err}");
}

#[test]
fn validation() {
    let missing_key =
        toml("type = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send\"")
            .unwrap();
    assert!(matches!(
        missing_key.validate(),
        Err(ConfigError::MissingUrlParam { param: "key", .. })
    ));
    let reserved = toml("type = \"webhook\"\nurl = \"https://h.example/x\"\nheaders = { \"X-Gatehouse-Signature\" = \"x\" }").unwrap();
    assert!(matches!(
        reserved.validate(),
        Err(ConfigError::ReservedHeader(_))
    ));
    let bad_header = toml(
        "type = \"webhook\"\nurl = \"https://h.example/x\"\nheaders = { \"Bad Header\" = \"x\" }",
    )
    .unwrap();
    assert!(matches!(
        bad_header.validate(),
        Err(ConfigError::BadHeaderName(_))
    ));
    let half_credentials = toml(
        "type = \"email\"\nhost = \"h\"\ntls = \"tls\"\nusername = \"u\"\nfrom = \"a@b.example\"",
    )
    .unwrap();
    assert_eq!(
        half_credentials.validate(),
        Err(ConfigError::PartialCredentials)
    );
    let bad_from =
        toml("type = \"email\"\nhost = \"h\"\ntls = \"none\"\nfrom = \"not an address\"").unwrap();
    assert!(matches!(
        bad_from.validate(),
        Err(ConfigError::BadAddress { field: "from", .. })
    ));
}

#[test]
fn email_ports_default_by_tls_mode() {
    for (mode, port) in [("none", 25), ("starttls", 587), ("tls", 465)] {
        let Channel::Email(c) = toml(&format!(
            "type = \"email\"\nhost = \"h\"\ntls = \"{mode}\"\nfrom = \"a@b.example\""
        ))
        .unwrap() else {
            panic!("email expected")
        };
        assert_eq!(c.port(), port);
        assert!(c.html, "the HTML alternative is on by default");
    }
    let Channel::Email(c) =
        toml("type = \"email\"\nhost = \"h\"\nport = 2525\ntls = \"none\"\nfrom = \"a@b.example\"")
            .unwrap()
    else {
        panic!("email expected")
    };
    assert_eq!((c.port(), c.tls), (2525, TlsMode::None));
}

#[test]
fn debug_output_hides_credentials() {
    let channels = [
        "type = \"wecom\"\nurl = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aaa-4bc4\"",
        "type = \"dingtalk\"\nurl = \"https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef\"\nsecret = \"SECabcdef0123\"",
        "type = \"slack\"\nurl = \"https://hooks.slack.com/services/T0AB12/B0CD34/XyZsecretTokenValue123\"",
        "type = \"feishu\"\nurl = \"https://open.feishu.cn/open-apis/bot/v2/hook/5e3d587e-d78e-4a07\"\nsecret = \"feishuSecretValue\"",
        "type = \"webhook\"\nurl = \"https://h.example/x\"\nsecret = \"whsecValue\"\nheaders = { Authorization = \"Bearer tokenValue\" }",
    ];
    let secrets = [
        "693a91f6-7aaa-4bc4",
        "0123456789abcdef",
        "SECabcdef0123",
        "T0AB12",
        "B0CD34",
        "XyZsecretTokenValue123",
        "5e3d587e-d78e-4a07",
        "feishuSecretValue",
        "whsecValue",
        "tokenValue",
    ];
    for text in channels {
        let channel = toml(text).unwrap();
        let debug = format!("{channel:?} {channel:#?}");
        for secret in secrets {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }
    let wecom = toml(channels[0]).unwrap();
    assert!(
        format!("{wecom:?}").contains("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***")
    );
}
