import React from "react";

export function View(props: { html: string }) {
  // ruleid: ts-any-cast
  const raw = props.html as any;
  return <div>{raw}</div>;
}
