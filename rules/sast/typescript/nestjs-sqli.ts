import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { PrismaClient } from '@prisma/client';

class Account {
  id!: number;
  owner!: string;
}

@Controller('accounts')
export class AccountsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: Repository<Account>,
    private readonly prisma: PrismaClient,
  ) {}

  @Get(':id')
  async findOne(@Param('id') id: string) {
    // ruleid: typescript.nestjs-sqli
    return this.dataSource.query(`SELECT * FROM accounts WHERE id = ${id}`);
  }

  @Get()
  async search(@Query('owner') owner: string) {
    return this.accounts
      .createQueryBuilder('a')
      // ruleid: typescript.nestjs-sqli
      .where("a.owner = '" + owner + "'")
      .getMany();
  }

  @Get('by-iban')
  async byIban(@Query('iban') iban: string) {
    const qb = this.accounts.createQueryBuilder('a');
    // ruleid: typescript.nestjs-sqli
    qb.andWhere(`a.iban = '${iban}'`);
    return qb.getMany();
  }

  @Post('report')
  async report(@Body() body: { sort: string }) {
    // ruleid: typescript.nestjs-sqli
    return this.prisma.$queryRawUnsafe('SELECT * FROM transfers ORDER BY ' + body.sort);
  }

  @Get('safe/:id')
  async safeFindOne(@Param('id') id: string) {
    // ok: typescript.nestjs-sqli
    return this.dataSource.query('SELECT * FROM accounts WHERE id = $1', [id]);
  }

  @Get('safe')
  async safeSearch(@Query('owner') owner: string) {
    return this.accounts
      .createQueryBuilder('a')
      // ok: typescript.nestjs-sqli
      .where('a.owner = :owner', { owner })
      .getMany();
  }

  @Get('safe/page/:page')
  async safePage(@Param('page') page: string) {
    // ok: typescript.nestjs-sqli
    return this.dataSource.query('SELECT * FROM accounts LIMIT 20 OFFSET ' + Number(page) * 20);
  }
}
