import React from 'react';
import DOMPurify from 'dompurify';

interface Note {
  body: string;
}

export function TransferNote({ note }: { note: Note }): JSX.Element {
  // ruleid: typescript.react-dangerously-set-inner-html
  return <div className="note" dangerouslySetInnerHTML={{ __html: note.body }} />;
}

export const Message: React.FC<{ html: string }> = ({ html }) => {
  // ruleid: typescript.react-dangerously-set-inner-html
  const body = <p className="message" dangerouslySetInnerHTML={{ __html: html }}></p>;
  return <section>{body}</section>;
};

export function Banner({ title }: { title: string }): JSX.Element {
  // ruleid: typescript.react-dangerously-set-inner-html
  return <aside dangerouslySetInnerHTML={{ __html: `<h2>${title}</h2>` }} />;
}

export function SafeNote({ note }: { note: Note }): JSX.Element {
  // ok: typescript.react-dangerously-set-inner-html
  return <div className="note" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(note.body) }} />;
}

export function SafeMessage({ html }: { html: string }): JSX.Element {
  const clean: string = DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
  // ok: typescript.react-dangerously-set-inner-html
  return <p dangerouslySetInnerHTML={{ __html: clean }} />;
}

export function Legal(): JSX.Element {
  // ok: typescript.react-dangerously-set-inner-html
  return <small dangerouslySetInnerHTML={{ __html: '&copy; Example Bank' }} />;
}
