interface User {
  name: string;
}

function load(input: unknown): User {
  // ruleid: ts-any-cast
  const user = input as any;
  // ok: ts-any-cast
  const other = input as User;
  return user;
}

// ruleid: ts-typed-function
function greet(name: string): string {
  return "hello " + name;
}

// ok: ts-typed-function
function count(n: number): number {
  return n + 1;
}

class Repo {
  find(db: any, id: string) {
    // ruleid: ts-query-concat
    return db.query("select * from t where id = " + id);
  }

  run(code: string) {
    // ruleid: ts-either-inside-class
    eval(code);
    // ruleid: ts-either-inside-class
    document.write(code);
  }
}

// ok: ts-either-inside-class
eval("1");
// ok: ts-query-concat
db.query("select 1");
