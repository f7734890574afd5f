import React from 'react';
import DOMPurify from 'dompurify';

export function TransferNote({ note }) {
  // ruleid: javascript.react-dangerously-set-inner-html
  return <div className="note" dangerouslySetInnerHTML={{ __html: note.body }} />;
}

export function Message({ html }) {
  // ruleid: javascript.react-dangerously-set-inner-html
  const body = <p className="message" dangerouslySetInnerHTML={{ __html: html }}></p>;
  return <section>{body}</section>;
}

export function Banner({ campaign }) {
  // ruleid: javascript.react-dangerously-set-inner-html
  return <aside dangerouslySetInnerHTML={{ __html: `<h2>${campaign.title}</h2>` }} />;
}

export function SafeNote({ note }) {
  // ok: javascript.react-dangerously-set-inner-html
  return <div className="note" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(note.body) }} />;
}

export function SafeMessage({ html }) {
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
  // ok: javascript.react-dangerously-set-inner-html
  return <p dangerouslySetInnerHTML={{ __html: clean }} />;
}

export function Legal() {
  // ok: javascript.react-dangerously-set-inner-html
  return <small dangerouslySetInnerHTML={{ __html: '&copy; Example Bank' }} />;
}
