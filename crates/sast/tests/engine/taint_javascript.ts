export function handler(req: Request, res: Response): void {
  const id: string = req.query.id as string;
  // ruleid: js-taint-express
  res.send(`<p>${id}</p>`);
}
